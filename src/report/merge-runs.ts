/**
 * `merge`: the reports of shards 1…N of one sharded run become one report. Every file is
 * untrusted (an artifact of another job): it is read within a size cap and validated; then the
 * shards must make one whole (the same commits, settings and partition, each shard once, every
 * benchmark in one shard) or the merge names what is wrong instead of passing what it has.
 * Each shard decided its part of the family at α·k/m, so the union keeps the family-wise rate at
 * most α (docs/method/shards.md); the merged summary is recounted from the results.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { RunReport } from '../model.js';
import type { ShardRecord } from '../measure/shards.js';
import { escapeMarkdown } from './markdown.js';
import { newRunReport } from './run-report.js';
import { array, integer, matching, number, object, oneOf, string } from '../validate/check.js';
import { validateRun } from '../validate/run.js';

/** Largest report file read, in bytes (a 2,000-benchmark compare with 40 rounds is a few MB). */
export const MAX_REPORT_BYTES = 64 * 1024 * 1024;

/** Settings every shard of one run must share: what was configured, not what each shard's measuring found. */
const SHARED_SETTINGS: Record<RunReport['kind'], string[]> = {
  compare: [
    'base',
    'head',
    'filter',
    'timeBudget',
    'thresholdSource',
    'test',
    'correction',
    'interleaving',
    'suite',
    'harnesses',
    'gateChanges',
  ],
  history: ['rounds', 'filter', 'timeBudget', 'thresholdPct', 'suite', 'harnesses'],
};

/** One shard's report and the record of its part, as read from `source`. */
export interface ShardReport {
  source: string;
  report: RunReport;
  shard: ShardRecord;
}

/** The merged report, or why there is none. */
export type MergeOutcome = { report: RunReport; problems: [] } | { report: null; problems: string[] };

/** The shard record of a validated run's settings (throws a ValidationError naming the field). */
export function shardRecordOf(settings: Record<string, unknown>): ShardRecord {
  const s = object(settings.shard, 'settings.shard');
  const n = integer(s.n, 'settings.shard.n', 1, 1000);
  const names = s.names === undefined ? undefined : array(s.names, 'settings.shard.names');
  return {
    k: integer(s.k, 'settings.shard.k', 1, n),
    n,
    familyAlpha: number(s.familyAlpha, 'settings.shard.familyAlpha', 0, 1),
    alpha: number(s.alpha, 'settings.shard.alpha', 0, 1),
    familyShare: number(s.familyShare, 'settings.shard.familyShare', 0, 1),
    familyBenchmarks: integer(s.familyBenchmarks, 'settings.shard.familyBenchmarks', 0, 1_000_000),
    familySize: integer(s.familySize, 'settings.shard.familySize', 0, 1_000_000),
    total: integer(s.total, 'settings.shard.total', 0, 1_000_000),
    balancedBy: oneOf(s.balancedBy, 'settings.shard.balancedBy', ['history', 'count'] as const),
    partition: matching(s.partition, 'settings.shard.partition', /^[0-9a-f]{64}$/, 'a SHA-256 in hex'),
    ...(names === undefined ? {} : { names: names.map((x, i) => string(x, `settings.shard.names[${i}]`, 1000)) }),
  };
}

/** Reads and validates one shard's JSON report; a problem names the file and the field. */
export function readShardReport(path: string): ShardReport | string {
  try {
    const size = statSync(path).size;
    if (size > MAX_REPORT_BYTES) return `${path}: ${size} bytes, more than a report may have (${MAX_REPORT_BYTES})`;
    const report = validateRun(JSON.parse(readFileSync(path, 'utf8')));
    if (report.settings.shard === undefined) return `${path}: not a shard's report (its run was not given --shard K/N)`;
    return { source: path, report, shard: shardRecordOf(report.settings) };
  } catch (e) {
    return `${path}: ${(e as Error).message}`;
  }
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Where the shards disagree or fail to make one whole; empty when they do. `partial`: shards still arriving, a missing one is no problem. */
export function mergeProblems(shards: readonly ShardReport[], o: { partial?: boolean } = {}): string[] {
  const first = shards[0];
  if (first === undefined) return ['no shard reports to merge'];
  const problems: string[] = [];
  const n = first.shard.n;
  const differs = (what: string, of: (s: ShardReport) => unknown) => {
    const other = shards.find((s) => !same(of(s), of(first)));
    if (other)
      problems.push(
        `the shards are not of one run: ${what} is ${JSON.stringify(of(first))} in ${first.source} but ${JSON.stringify(of(other))} in ${other.source}`,
      );
  };
  differs('the number of shards', (s) => s.shard.n);
  differs('the kind of run', (s) => s.report.kind);
  differs('the project', (s) => s.report.project);
  differs('the profile', (s) => s.report.profile);
  differs('the base commit', (s) => s.report.base?.sha ?? null);
  differs('the head commit', (s) => s.report.head.sha);
  differs('whether the head had uncommitted changes', (s) => s.report.head.dirty);
  differs('α of the whole run', (s) => s.shard.familyAlpha);
  differs('the partition (the shards read different histories or listed different benchmarks)', (s) => [
    s.shard.partition,
    s.shard.total,
    s.shard.familySize,
  ]);
  for (const key of SHARED_SETTINGS[first.report.kind]) differs(`setting '${key}'`, (s) => s.report.settings[key]);

  const byShard = new Map<number, ShardReport>();
  for (const s of shards) {
    const twin = byShard.get(s.shard.k);
    if (twin) problems.push(`shard ${s.shard.k}/${n} is given twice: ${twin.source} and ${s.source}`);
    else byShard.set(s.shard.k, s);
  }
  if (o.partial !== true) for (let k = 1; k <= n; k++) if (!byShard.has(k)) problems.push(`shard ${k}/${n} is missing`);

  // A name may appear twice within one shard (removed, and added with a new fixture), never in two.
  const shardOf = new Map<string, number>();
  for (const s of byShard.values()) {
    const names = [...new Set(s.report.benchmarks.map((b) => b.name))];
    if (s.shard.names !== undefined && !same([...s.shard.names].sort(), [...names].sort()))
      problems.push(`${s.source}: its benchmarks are not the ones its shard record lists`);
    for (const name of names) {
      const other = shardOf.get(name);
      if (other !== undefined)
        problems.push(`benchmark ${JSON.stringify(name)} is in shard ${other}/${n} and shard ${s.shard.k}/${n}`);
      else shardOf.set(name, s.shard.k);
    }
  }
  if (o.partial !== true && problems.length === 0 && shardOf.size !== first.shard.total)
    problems.push(`the shards hold ${shardOf.size} benchmarks but their partition placed ${first.shard.total}`);
  // The union bound holds only when the shards' α add up to at most the run's.
  const alphas = [...byShard.values()].reduce((sum, s) => sum + s.shard.alpha, 0);
  if (alphas > first.shard.familyAlpha * (1 + 1e-9))
    problems.push(`the shards' α add up to ${alphas}, more than the run's α ${first.shard.familyAlpha}`);
  return problems;
}

/** One shard's line in the merged settings: what its own measuring did. */
function shardSummary(s: ShardReport): Record<string, unknown> {
  const pick = (key: string) => (s.report.settings[key] === undefined ? {} : { [key]: s.report.settings[key] });
  return {
    k: s.shard.k,
    run: s.report.id,
    testbed: s.report.testbed.key,
    alpha: s.shard.alpha,
    benchmarks: s.report.benchmarks.length,
    ...pick('familySize'),
    ...pick('rounds'),
    ...pick('looksTaken'),
    ...pick('stoppedBy'),
    ...pick('measuringSeconds'),
    ...pick('thresholdPct'),
  };
}

/** Joins shards that make one whole into one report (call {@link mergeProblems} first). */
export function joinShards(shards: readonly ShardReport[]): RunReport {
  const ordered = [...shards].sort((a, b) => a.shard.k - b.shard.k);
  const first = ordered[0] as ShardReport;
  const shared: Record<string, unknown> = {};
  for (const key of SHARED_SETTINGS[first.report.kind])
    if (first.report.settings[key] !== undefined) shared[key] = first.report.settings[key];
  const numbers = (key: string) =>
    ordered.map((s) => s.report.settings[key]).filter((v): v is number => typeof v === 'number');
  const most = (key: string) => (numbers(key).length > 0 ? { [key]: Math.max(...numbers(key)) } : {});
  return newRunReport({
    kind: first.report.kind,
    project: first.report.project,
    profile: first.report.profile,
    startedAt: ordered.map((s) => s.report.startedAt).sort()[0] as string,
    testbed: first.report.testbed,
    head: first.report.head,
    base: first.report.base,
    settings: {
      ...shared,
      ...(first.report.kind === 'compare'
        ? {
            alpha: first.shard.familyAlpha,
            familySize: numbers('familySize').reduce((a, b) => a + b, 0),
            correction: 'holm within each shard, at its share of alpha',
          }
        : {}),
      ...most('rounds'),
      ...most('measuringSeconds'),
      shards: {
        n: first.shard.n,
        partition: first.shard.partition,
        balancedBy: first.shard.balancedBy,
        runs: ordered.map(shardSummary),
      },
    },
    benchmarks: ordered.flatMap((s) => s.report.benchmarks),
  });
}

/** Reads the shards' reports and merges them, or lists every problem that stops the merge. */
export function mergeRuns(paths: readonly string[]): MergeOutcome {
  return mergeShardReports(paths.map(readShardReport));
}

/** Merges shard reports already read by {@link readShardReport} (a string is a file that could not be read). */
export function mergeShardReports(read: readonly (ShardReport | string)[]): MergeOutcome {
  const unreadable = read.filter((r): r is string => typeof r === 'string');
  const shards = read.filter((r): r is ShardReport => typeof r !== 'string');
  const problems = [...unreadable, ...(shards.length > 0 || unreadable.length === 0 ? mergeProblems(shards) : [])];
  return problems.length > 0 ? { report: null, problems } : { report: joinShards(shards), problems: [] };
}

/** The Markdown report of a merge that failed: the gate fails, and says why. */
export function mergeFailureMarkdown(problems: readonly string[]): string {
  return [
    '## 🔴 benchgate: the shards do not make one run, so nothing was decided',
    '',
    ...problems.map((p) => `- ${escapeMarkdown(p)}`),
    '',
  ].join('\n');
}

/** The one run the shards of a commit become: `merge`'s join, with an id and end time fixed by the shards. */
export function joinShardRuns(shards: readonly ShardReport[]): RunReport {
  const ids = shards.map((s) => s.report.id).sort();
  const merged = joinShards(shards);
  return {
    ...merged,
    id: `shards-${createHash('sha256').update(ids.join('\n')).digest('hex').slice(0, 40)}`,
    finishedAt: shards
      .map((s) => s.report.finishedAt)
      .sort()
      .at(-1) as string,
  };
}
