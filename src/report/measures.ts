/**
 * The measures other than time as every report shows them: one line per benchmark × measure,
 * "peak memory 212 MiB → 431 MiB (+103.2%)", regressions first.
 */
import { measureInfo, type MeasureName, type RunReport, type VerdictKind } from '../model.js';
import { formatMiB, formatPct, formatSeconds } from './format.js';

/** One benchmark × measure, ready to print. */
export interface MeasureLine {
  benchmark: string;
  measure: MeasureName;
  /** e.g. `212.0 MiB → 431.0 MiB`, or one figure where there is nothing to compare. */
  figures: string;
  changePct: number | null;
  kind: VerdictKind | null;
  gated: boolean;
  reason: string | null;
}

/** A measure's figure in its unit. */
export function formatMeasure(measure: MeasureName, value: number | null): string {
  const { unit } = measureInfo(measure);
  if (unit === 'bytes') return formatMiB(value);
  if (unit === 'seconds') return formatSeconds(value);
  if (value === null) return '—';
  if (unit === 'bytes/s') return `${(value / 1e6).toPrecision(4)} MB/s`;
  const digits =
    Number.isInteger(value) && Math.abs(value) < 1e15 ? value.toLocaleString('en-US') : value.toPrecision(4);
  return unit === 'count' ? digits : `${digits} ${unit}`;
}

const rank: Record<VerdictKind, number> = { regressed: 0, improved: 1, inconclusive: 2, unchanged: 3 };

/** Every benchmark × measure other than time; `flaggedOnly` keeps those regressed or improved. */
export function measureLines(report: RunReport, flaggedOnly = false): MeasureLine[] {
  const lines = report.benchmarks.flatMap((b) =>
    b.measures.map((m): MeasureLine => {
      const after = formatMeasure(m.measure, m.median);
      return {
        benchmark: b.name,
        measure: m.measure,
        figures: m.baselineMedian === null ? after : `${formatMeasure(m.measure, m.baselineMedian)} → ${after}`,
        changePct: m.verdict?.changePct ?? null,
        kind: m.verdict?.kind ?? null,
        gated: m.gated,
        reason: m.verdict?.reason ?? null,
      };
    }),
  );
  return lines
    .filter((l) => !flaggedOnly || l.kind === 'regressed' || l.kind === 'improved')
    .sort(
      (a, b) =>
        (a.kind === null ? 4 : rank[a.kind]) - (b.kind === null ? 4 : rank[b.kind]) ||
        Number(b.gated) - Number(a.gated) ||
        Math.abs(b.changePct ?? 0) - Math.abs(a.changePct ?? 0) ||
        a.benchmark.localeCompare(b.benchmark),
    );
}

/** `peak memory 212.0 MiB → 431.0 MiB (+103.2%) regressed`, with `(informs only)` for an ungated one. */
export function measureSentence(l: MeasureLine): string {
  const change = l.changePct === null ? '' : ` (${formatPct(l.changePct)})`;
  const verdict = l.kind === null ? '' : ` ${l.kind}${l.gated ? '' : ' (informs only)'}`;
  return `${measureInfo(l.measure).label} ${l.figures}${change}${verdict}`;
}
