/**
 * The overview query: every benchmark of a project with its values over the most recent history
 * runs of a branch on one testbed, its latest verdict and its change points; or the same in a
 * measure besides time. It reads the last `depth` runs (one index range), their results by primary
 * key and one run's verdicts, so its cost does not grow with the length of the history.
 */
import type Database from 'better-sqlite3';
import {
  byMeasure,
  type BenchmarkState,
  type MeasureName,
  type MeasureOverviewRow,
  type OverviewRow,
  type Verdict,
} from '../model.js';
import { listBenchmarks } from './catalog.js';
import { verdictFromRow } from './runs.js';

type Row = Record<string, unknown>;

/** The branch's last `depth` history runs on the testbed, oldest first: [id, head sha]. */
function recentRuns(
  db: Database.Database,
  projectId: number,
  testbedId: number,
  branch: string,
  depth: number,
): [string, string | null][] {
  const runs = db
    .prepare(
      `SELECT id, head_sha FROM run WHERE project_id = ? AND testbed_id = ? AND kind = 'history' AND head_ref = ? ORDER BY rowid DESC LIMIT ?`,
    )
    .raw()
    .all(projectId, testbedId, branch, depth) as [string, string | null][];
  return runs.reverse();
}

const marks = (n: number): string => new Array<string>(n).fill('?').join(',');

/** Each benchmark's figures in the runs (null where not completed) and where its latest result is. */
class Lines {
  readonly values = new Map<number, (number | null)[]>();
  readonly latest = new Map<number, { slot: number; state: BenchmarkState; value: number | null }>();
  constructor(private readonly width: number) {}

  add(slot: number, bid: number, state: BenchmarkState, value: number | null): void {
    let line = this.values.get(bid);
    if (!line) this.values.set(bid, (line = new Array<number | null>(this.width).fill(null)));
    const figure = state === 'completed' ? value : null;
    line[slot] = figure;
    const seen = this.latest.get(bid);
    if (!seen || seen.slot < slot) this.latest.set(bid, { slot, state, value: figure });
  }

  /** The benchmarks grouped by the slot of their latest result (usually all the newest run). */
  bySlot(): Map<number, Set<number>> {
    const out = new Map<number, Set<number>>();
    for (const [bid, l] of this.latest) {
      let set = out.get(l.slot);
      if (!set) out.set(l.slot, (set = new Set()));
      set.add(bid);
    }
    return out;
  }
}

/** Overview rows of a project on a testbed; `depth` is the sparkline length in runs. */
export function overviewRows(
  db: Database.Database,
  projectId: number,
  testbedId: number,
  branch: string,
  depth = 40,
): OverviewRow[] {
  const runs = recentRuns(db, projectId, testbedId, branch, depth);
  const slot = new Map(runs.map(([id], i) => [id, i]));
  const lines = new Lines(runs.length);
  if (runs.length > 0) {
    const results = db
      .prepare(`SELECT run_id, benchmark_id, state, median_seconds FROM result WHERE run_id IN (${marks(runs.length)})`)
      .raw()
      .all(...runs.map(([id]) => id)) as [string, number, BenchmarkState, number | null][];
    for (const [runId, bid, state, median] of results) lines.add(slot.get(runId) as number, bid, state, median);
  }
  // Verdicts of each benchmark's latest run.
  const verdicts = new Map<number, Verdict>();
  const verdictOf = db.prepare('SELECT * FROM verdict WHERE run_id = ?');
  for (const [s, wanted] of lines.bySlot()) {
    for (const v of verdictOf.all(runs[s]?.[0]) as Row[]) {
      const bid = v.benchmark_id as number;
      if (wanted.has(bid)) verdicts.set(bid, verdictFromRow(v, v.reason));
    }
  }
  const changes = new Map<number, { n: number; last: number }>();
  for (const [bid, pct] of db
    .prepare('SELECT benchmark_id, change_pct FROM change_point WHERE testbed_id = ? ORDER BY position')
    .raw()
    .all(testbedId) as [number, number][]) {
    changes.set(bid, { n: (changes.get(bid)?.n ?? 0) + 1, last: pct });
  }
  return listBenchmarks(db, projectId).map((b) => {
    const l = lines.latest.get(b.id);
    const run = l ? runs[l.slot] : undefined;
    return {
      ...b,
      sparkline: lines.values.get(b.id) ?? [],
      latest: l && run ? { runId: run[0], sha: run[1], medianSeconds: l.value, state: l.state } : null,
      verdict: verdicts.get(b.id) ?? null,
      changePoints: changes.get(b.id)?.n ?? 0,
      lastChangePct: changes.get(b.id)?.last ?? null,
    };
  });
}

/** The measures the recent runs have figures of, time first (always), then the others in {@link byMeasure} order. */
export function overviewMeasures(
  db: Database.Database,
  projectId: number,
  testbedId: number,
  branch: string,
  depth = 40,
): MeasureName[] {
  const runs = recentRuns(db, projectId, testbedId, branch, depth);
  const found = new Set(
    runs.length === 0
      ? []
      : (db
          .prepare(
            `SELECT DISTINCT measure FROM result_measure WHERE run_id IN (${marks(runs.length)}) AND median IS NOT NULL`,
          )
          .pluck()
          .all(...runs.map(([id]) => id)) as string[]),
  );
  found.delete('time');
  return ['time', ...[...found].sort(byMeasure)];
}

/**
 * Overview rows in `measure` (not time): each benchmark's figures of it in the recent runs, its
 * latest result's figure and the measure's verdict there (`result_measure.verdict_json`).
 * Benchmarks without a figure of the measure in those runs are left out.
 */
export function overviewMeasureRows(
  db: Database.Database,
  projectId: number,
  testbedId: number,
  branch: string,
  measure: MeasureName,
  depth = 40,
): MeasureOverviewRow[] {
  const runs = recentRuns(db, projectId, testbedId, branch, depth);
  if (runs.length === 0) return [];
  const slot = new Map(runs.map(([id], i) => [id, i]));
  const lines = new Lines(runs.length);
  const taken = new Set<number>();
  const results = db
    .prepare(
      `SELECT r.run_id, r.benchmark_id, r.state, rm.median FROM result r
       LEFT JOIN result_measure rm ON rm.run_id = r.run_id AND rm.benchmark_id = r.benchmark_id AND rm.measure = ?
       WHERE r.run_id IN (${marks(runs.length)})`,
    )
    .raw()
    .all(measure, ...runs.map(([id]) => id)) as [string, number, BenchmarkState, number | null][];
  for (const [runId, bid, state, value] of results) {
    lines.add(slot.get(runId) as number, bid, state, value);
    if (value !== null && state === 'completed') taken.add(bid);
  }
  const verdicts = new Map<number, Verdict>();
  const verdictOf = db.prepare(
    'SELECT benchmark_id, verdict_json FROM result_measure WHERE run_id = ? AND measure = ? AND verdict_json IS NOT NULL',
  );
  for (const [s, wanted] of lines.bySlot()) {
    for (const [bid, json] of verdictOf.raw().all(runs[s]?.[0], measure) as [number, string][])
      if (wanted.has(bid)) verdicts.set(bid, JSON.parse(json) as Verdict);
  }
  return listBenchmarks(db, projectId).flatMap((b) => {
    const l = lines.latest.get(b.id);
    const run = l ? runs[l.slot] : undefined;
    if (!l || !run || !taken.has(b.id)) return [];
    return [
      {
        ...b,
        sparkline: lines.values.get(b.id) ?? [],
        latest: { runId: run[0], sha: run[1], value: l.value, state: l.state },
        verdict: verdicts.get(b.id) ?? null,
      },
    ];
  });
}
