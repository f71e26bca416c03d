/** Number formatting shared by the terminal and Markdown renderers. */

/** A duration in the unit that keeps 3–4 significant digits: ns, µs, ms or s. */
export function formatSeconds(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '—';
  if (s < 1e-6) return `${(s * 1e9).toPrecision(3)} ns`;
  if (s < 1e-3) return `${(s * 1e6).toPrecision(3)} µs`;
  if (s < 1) return `${(s * 1e3).toPrecision(3)} ms`;
  return `${s.toPrecision(3)} s`;
}

/** A signed percentage with one decimal. */
export function formatPct(p: number | null): string {
  if (p === null || !Number.isFinite(p)) return '—';
  return `${p > 0 ? '+' : ''}${p.toFixed(1)}%`;
}

/** Throughput: GFLOP/s when the work counts flops, else GB/s. */
export function formatThroughput(gflops: number | null, gbps: number | null): string {
  if (gflops !== null && Number.isFinite(gflops)) return `${gflops.toPrecision(3)} GFLOP/s`;
  if (gbps !== null && Number.isFinite(gbps)) return `${gbps.toPrecision(3)} GB/s`;
  return '—';
}

/** An interval of percentages, e.g. `[+1.2%, +3.4%]`. */
export function formatInterval(low: number | null, high: number | null): string {
  return low === null || high === null ? '—' : `[${formatPct(low)}, ${formatPct(high)}]`;
}

/** A byte count as MiB with one decimal, or a dash. */
export function formatMiB(bytes: number | null): string {
  return bytes === null ? '—' : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
