/** Counts and orders a run's results the way every report presents them: regressions first. */
import type { BenchmarkResult, RunSummary, VerdictKind } from '../model.js';

/** Counts verdicts and failure states. */
export function summarise(benchmarks: BenchmarkResult[]): RunSummary {
  const s: RunSummary = { regressed: 0, improved: 0, unchanged: 0, inconclusive: 0, errored: 0, skipped: 0 };
  for (const b of benchmarks) {
    if (b.state === 'completed') s[b.verdict.verdict]++;
    else s[b.state]++;
  }
  return s;
}

const rank: Record<VerdictKind, number> = { regressed: 0, improved: 1, inconclusive: 2, unchanged: 3 };

/** Regressions (largest first), then improvements, inconclusive, unchanged; failures last. */
export function ordered(benchmarks: BenchmarkResult[]): BenchmarkResult[] {
  const key = (b: BenchmarkResult) => (b.state === 'completed' ? rank[b.verdict.verdict] : 4);
  return [...benchmarks].sort(
    (a, b) => key(a) - key(b) || Math.abs(b.verdict.changePct ?? 0) - Math.abs(a.verdict.changePct ?? 0) || a.name.localeCompare(b.name),
  );
}

/** The one-line verdict of a run. */
export function headline(s: RunSummary): string {
  if (s.regressed > 0) return `${s.regressed} regression${s.regressed === 1 ? '' : 's'} found`;
  if (s.improved > 0) return `no regression; ${s.improved} improvement${s.improved === 1 ? '' : 's'}`;
  return 'no regression';
}
