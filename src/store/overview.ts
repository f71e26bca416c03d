/**
 * The overview query: every benchmark of a project with its values over the most recent history
 * runs of a branch on one testbed, its latest verdict and its change points. It reads the last
 * `depth` runs (one index range), their results by primary key and one run's verdicts, so its cost
 * does not grow with the length of the history.
 */
import type Database from 'better-sqlite3';
import type { BenchmarkState, OverviewRow, Verdict } from '../model.js';
import { listBenchmarks } from './catalog.js';
import { verdictFromRow } from './runs.js';

type Row = Record<string, unknown>;

/** Overview rows of a project on a testbed; `depth` is the sparkline length in runs. */
export function overviewRows(
  db: Database.Database,
  projectId: number,
  testbedId: number,
  branch: string,
  depth = 40,
): OverviewRow[] {
  const runs = db
    .prepare(
      `SELECT id, head_sha FROM run WHERE project_id = ? AND testbed_id = ? AND kind = 'history' AND head_ref = ? ORDER BY rowid DESC LIMIT ?`,
    )
    .raw()
    .all(projectId, testbedId, branch, depth) as [string, string | null][];
  runs.reverse(); // oldest first
  const slot = new Map(runs.map(([id], i) => [id, i]));
  const values = new Map<number, (number | null)[]>();
  const latest = new Map<number, { slot: number; state: BenchmarkState; median: number | null }>();
  if (runs.length > 0) {
    const results = db
      .prepare(
        `SELECT run_id, benchmark_id, state, median_seconds FROM result WHERE run_id IN (${runs.map(() => '?').join(',')})`,
      )
      .raw()
      .all(...runs.map(([id]) => id)) as [string, number, BenchmarkState, number | null][];
    for (const [runId, bid, state, median] of results) {
      const i = slot.get(runId) as number;
      let line = values.get(bid);
      if (!line) values.set(bid, (line = new Array<number | null>(runs.length).fill(null)));
      line[i] = state === 'completed' ? median : null;
      const seen = latest.get(bid);
      if (!seen || seen.slot < i) latest.set(bid, { slot: i, state, median });
    }
  }
  // Verdicts of each benchmark's latest run: usually all from the newest run.
  const verdicts = new Map<number, Verdict>();
  const byRun = new Map<number, number[]>();
  for (const [bid, l] of latest) byRun.set(l.slot, [...(byRun.get(l.slot) ?? []), bid]);
  const verdictOf = db.prepare('SELECT * FROM verdict WHERE run_id = ?');
  for (const [s, bids] of byRun) {
    const wanted = new Set(bids);
    for (const v of verdictOf.all(runs[s]?.[0]) as Row[]) {
      const bid = v.benchmark_id as number;
      if (!wanted.has(bid)) continue;
      verdicts.set(bid, verdictFromRow(v, v.reason));
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
    const l = latest.get(b.id);
    const run = l ? runs[l.slot] : undefined;
    return {
      ...b,
      sparkline: values.get(b.id) ?? [],
      latest: l && run ? { runId: run[0], sha: run[1], medianSeconds: l.median, state: l.state } : null,
      verdict: verdicts.get(b.id) ?? null,
      changePoints: changes.get(b.id)?.n ?? 0,
      lastChangePct: changes.get(b.id)?.last ?? null,
    };
  });
}
