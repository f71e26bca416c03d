/** Number formatting for the dashboard. */

/** A unit for a range of durations, so a series' axis reads `12.3 µs`, not `0.0000123`. */
export function timeUnit(typical: number): { factor: number; unit: string } {
  if (typical >= 1) return { factor: 1, unit: 's' };
  if (typical >= 1e-3) return { factor: 1e3, unit: 'ms' };
  if (typical >= 1e-6) return { factor: 1e6, unit: 'µs' };
  return { factor: 1e9, unit: 'ns' };
}

/** `1.23 ms`. */
export function seconds(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return '—';
  const { factor, unit } = timeUnit(x);
  const v = x * factor;
  return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${unit}`;
}

/** A unit for a range of byte counts (binary: KiB, MiB, GiB), as `timeUnit` is for durations. */
export function byteUnit(typical: number): { factor: number; unit: string } {
  if (typical >= 2 ** 30) return { factor: 2 ** -30, unit: 'GiB' };
  if (typical >= 2 ** 20) return { factor: 2 ** -20, unit: 'MiB' };
  if (typical >= 2 ** 10) return { factor: 2 ** -10, unit: 'KiB' };
  return { factor: 1, unit: 'B' };
}

/** `5.30 MiB`. */
export function bytes(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return '—';
  const { factor, unit } = byteUnit(x);
  const v = x * factor;
  return unit === 'B'
    ? `${v.toFixed(0)} B`
    : `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${unit}`;
}

/** `+2.4%`. */
export function pct(x: number | null, digits = 1): string {
  if (x === null || !Number.isFinite(x)) return '—';
  return `${x >= 0 ? '+' : ''}${x.toFixed(digits)}%`;
}

/** A date-time as `2026-11-21 10:00`. */
export function when(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 16).replace('T', ' ');
}

/** A unit for a range of plain counts or rates, as `timeUnit` is for durations: `12.3 M`. */
export function countUnit(typical: number): { factor: number; unit: string } {
  const a = Math.abs(typical);
  if (a >= 1e9) return { factor: 1e-9, unit: 'G' };
  if (a >= 1e6) return { factor: 1e-6, unit: 'M' };
  if (a >= 1e3) return { factor: 1e-3, unit: 'k' };
  return { factor: 1, unit: '' };
}

/** How a measure's figures are written and scaled: seconds, bytes, or a count with its unit. */
export function measureFormat(unit: string): {
  format: (x: number | null) => string;
  scale: (typical: number) => { factor: number; unit: string };
} {
  if (unit === 'seconds') return { format: seconds, scale: timeUnit };
  if (unit === 'bytes') return { format: bytes, scale: byteUnit };
  const suffix = unit === 'count' ? '' : unit === 'bytes/s' ? 'B/s' : unit;
  const scale = (typical: number) => {
    const c = countUnit(typical);
    return { factor: c.factor, unit: `${c.unit}${suffix}`.trim() || 'count' };
  };
  const format = (x: number | null) => {
    if (x === null || !Number.isFinite(x)) return '—';
    const { factor, unit: u } = countUnit(x);
    const v = x * factor;
    return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)}${u ? ` ${u}` : ''}${suffix ? `${u ? '' : ' '}${suffix}` : ''}`;
  };
  return { format, scale };
}
