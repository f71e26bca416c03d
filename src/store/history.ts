/**
 * The history a `run` is judged against: for each benchmark, the per-process medians of the
 * latest earlier history runs on the same project and testbed (and the same fixture checksum).
 */
import type Database from 'better-sqlite3';

/** Per-process medians (seconds) of one earlier run, newest runs first. */
export interface HistoryRun {
  runId: string;
  medians: number[];
}

/** Options for `historyFor`. */
export interface HistoryQuery {
  project: string;
  testbedKey: string;
  benchmark: string;
  fixtureChecksum: string;
  /** How many earlier runs to return at most. */
  limit: number;
}

/** Returns the latest runs' completed head-side medians for one benchmark, newest first. */
export function historyFor(db: Database.Database, q: HistoryQuery): HistoryRun[] {
  const runs = db
    .prepare(
      `SELECT run.id AS run_id, json_group_array(m.median_seconds) AS medians
       FROM benchmark b
       JOIN project p ON p.id = b.project_id AND p.name = ?
       JOIN measurement m ON m.benchmark_id = b.id AND m.side = 'head' AND m.state = 'completed'
       JOIN run ON run.id = m.run_id AND run.kind = 'history'
       JOIN testbed t ON t.id = run.testbed_id AND t.key = ?
       WHERE b.name = ? AND b.fixture_checksum = ?
       GROUP BY run.id
       ORDER BY run.rowid DESC
       LIMIT ?`,
    )
    .all(q.project, q.testbedKey, q.benchmark, q.fixtureChecksum, q.limit) as { run_id: string; medians: string }[];
  return runs.map((r) => ({ runId: r.run_id, medians: JSON.parse(r.medians) as number[] }));
}
