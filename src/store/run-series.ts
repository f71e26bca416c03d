/**
 * One benchmark's history-run medians in the order the runs were stored (oldest first), with the
 * commit of each run: the series change-point detection reads.
 */
import type Database from 'better-sqlite3';

/** One completed point of a series. */
export interface RunSeriesPoint {
  runId: string;
  sha: string | null;
  message: string | null;
  medianSeconds: number;
}

/** Which series: a benchmark (name and fixture) of a project on a testbed. */
export interface RunSeriesKey {
  project: string;
  testbedKey: string;
  benchmark: string;
  fixtureChecksum: string;
}

/** The completed points of a series, oldest first. */
export function runSeries(db: Database.Database, k: RunSeriesKey): RunSeriesPoint[] {
  return (
    db
      .prepare(
        `SELECT run.id AS runId, run.head_sha AS sha, run.head_message AS message, r.median_seconds AS medianSeconds
         FROM run
         JOIN project p ON p.id = run.project_id AND p.name = ?
         JOIN testbed t ON t.id = run.testbed_id AND t.key = ?
         JOIN result r ON r.run_id = run.id AND r.state = 'completed' AND r.median_seconds IS NOT NULL
         JOIN benchmark b ON b.id = r.benchmark_id AND b.name = ? AND b.fixture_checksum = ?
         WHERE run.kind = 'history'
         ORDER BY run.rowid`,
      )
      .all(k.project, k.testbedKey, k.benchmark, k.fixtureChecksum) as RunSeriesPoint[]
  );
}
