/** Counts and orders a run's results the way every report presents them: regressions first. */
import { GATING_KEYS } from '../config/schema.js';
import type { BenchmarkResult, RunReport, RunSummary, VerdictKind } from '../model.js';

/** Counts verdicts and failure states; benchmarks on one side only count as added or removed. */
export function summarise(benchmarks: BenchmarkResult[]): RunSummary {
  const s: RunSummary = { regressed: 0, improved: 0, unchanged: 0, inconclusive: 0, errored: 0, skipped: 0 };
  for (const b of benchmarks) {
    if (b.presence !== 'both') s[b.presence] = (s[b.presence] ?? 0) + 1;
    else if (b.state !== 'completed') s[b.state]++;
    else if (b.gated === false) s.ignored = (s.ignored ?? 0) + 1;
    else s[b.verdict?.kind ?? 'inconclusive']++;
    for (const m of b.measures) {
      if (!m.gated || m.verdict === null) continue;
      if (m.verdict.kind === 'regressed') s.regressed++;
      else if (m.verdict.kind === 'improved') s.improved++;
    }
  }
  return s;
}

/** The estimated change in percent, where a verdict has one. */
export function changeOf(b: BenchmarkResult): number | null {
  return b.verdict?.changePct ?? null;
}

/** Whether the verdict says the benchmark regressed or improved (`flagged`), or is inconclusive. */
export function verdictIs(b: BenchmarkResult, ...kinds: VerdictKind[]): boolean {
  return b.verdict !== null && kinds.includes(b.verdict.kind);
}

/** `added` / `removed` for a benchmark on one side only, else null. */
export function presenceLabel(b: BenchmarkResult): string | null {
  if (b.presence === 'added') return 'added (only in head, not compared)';
  if (b.presence === 'removed') return 'removed (only in base, not compared)';
  return null;
}

/** What the verdict column shows: the verdict, added/removed, or the failure state with its reason. */
export function verdictLabel(b: BenchmarkResult, withReason = true): string {
  const presence = presenceLabel(b);
  if (presence !== null) return presence;
  if (b.state === 'completed') return `${b.verdict?.kind ?? 'measured'}${b.gated === false ? ' (ignored)' : ''}`;
  return withReason ? `${b.state}: ${b.reason ?? ''}` : b.state;
}

const rank: Record<VerdictKind, number> = { regressed: 0, improved: 1, inconclusive: 2, unchanged: 3 };

/** Regressions (largest first), then improvements, inconclusive, unchanged; added/removed, then failures last. */
export function ordered(benchmarks: BenchmarkResult[]): BenchmarkResult[] {
  const key = (b: BenchmarkResult) =>
    b.presence !== 'both' ? 4 : b.state === 'completed' ? rank[b.verdict?.kind ?? 'inconclusive'] : 5;
  return [...benchmarks].sort(
    (a, b) =>
      key(a) - key(b) || Math.abs(changeOf(b) ?? 0) - Math.abs(changeOf(a) ?? 0) || a.name.localeCompare(b.name),
  );
}

/** The one-line verdict of a run. */
export function headline(s: RunSummary): string {
  if (s.regressed > 0) return `${s.regressed} regression${s.regressed === 1 ? '' : 's'} found`;
  if (s.improved > 0) return `no regression; ${s.improved} improvement${s.improved === 1 ? '' : 's'}`;
  return 'no regression';
}

/** The counts after the headline, e.g. `2 unchanged · 1 inconclusive · 0 errored · 0 skipped · 1 added`. */
export function countsLine(s: RunSummary, withVerdicts: boolean): string {
  const parts = [
    ...(withVerdicts ? [`${s.regressed} regressed`, `${s.improved} improved`] : []),
    `${s.unchanged} unchanged`,
    `${s.inconclusive} inconclusive`,
    `${s.errored} errored`,
    `${s.skipped} skipped`,
  ];
  if (s.ignored) parts.push(`${s.ignored} ignored`);
  if (s.added) parts.push(`${s.added} added`);
  if (s.removed) parts.push(`${s.removed} removed`);
  return parts.join(' · ');
}

/** The gating keys a pull request's own config file changes (not used by this run), known keys only. */
export function gateChangesOf(report: RunReport): string[] {
  const listed = report.settings.gateChanges;
  return Array.isArray(listed) ? GATING_KEYS.filter((k) => listed.includes(k)) : [];
}

/** The sentence reports show when the pull request changes the gate's settings, or null. */
export function gateChangesLine(report: RunReport): string | null {
  const keys = gateChangesOf(report);
  if (keys.length === 0) return null;
  return `This pull request changes the gate's settings (${keys.join(', ')} in benchgate.config.json): this run used the merge-base's; the new ones apply after merge.`;
}
