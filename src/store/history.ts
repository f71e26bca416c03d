/**
 * The history a `run` is judged against: for each benchmark, the per-process medians of the
 * latest earlier history runs on the same project and testbed (and the same fixture checksum).
 */
import type Database from 'better-sqlite3';
import type { MeasureName } from '../model.js';

/** Per-process medians (seconds) of one earlier run, newest runs first, and its other measures' figures. */
export interface HistoryRun {
  runId: string;
  medians: number[];
  /** Per measure other than time, the per-process figures the run took (runs stored before measures have none). */
  values: Partial<Record<MeasureName, number[]>>;
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

/**
 * Returns the latest runs' completed head-side medians for one benchmark, newest first. Walks the
 * testbed's history runs newest first (`run_by_testbed`, in rowid order) and probes each run's
 * measurements of the benchmark (`measurement_by_run`), stopping after `limit` runs: no index by
 * benchmark is needed, so storing a run touches no per-benchmark index but the series one.
 */
export function historyFor(db: Database.Database, q: HistoryQuery): HistoryRun[] {
  const ids = db
    .prepare(
      `SELECT b.id AS benchmark, b.project_id AS project, t.id AS testbed
       FROM benchmark b JOIN project p ON p.id = b.project_id AND p.name = ? JOIN testbed t ON t.key = ?
       WHERE b.name = ? AND b.fixture_checksum = ?`,
    )
    .get(q.project, q.testbedKey, q.benchmark, q.fixtureChecksum) as
    { benchmark: number; project: number; testbed: number } | undefined;
  if (!ids) return [];
  const runs = db
    .prepare(
      `SELECT run.id AS run_id,
              (SELECT json_group_array(m.median_seconds) FROM measurement m
               WHERE m.run_id = run.id AND m.benchmark_id = ? AND m.side = 'head' AND m.state = 'completed') AS medians,
              (SELECT json_group_array(m.values_json) FROM measurement m
               WHERE m.run_id = run.id AND m.benchmark_id = ? AND m.side = 'head' AND m.state = 'completed'
                 AND m.values_json IS NOT NULL) AS figures
       FROM run
       WHERE run.project_id = ? AND run.testbed_id = ? AND run.kind = 'history'
         AND EXISTS (SELECT 1 FROM measurement m WHERE m.run_id = run.id AND m.benchmark_id = ? AND m.side = 'head' AND m.state = 'completed')
       ORDER BY run.rowid DESC
       LIMIT ?`,
    )
    .all(ids.benchmark, ids.benchmark, ids.project, ids.testbed, ids.benchmark, q.limit) as {
    run_id: string;
    medians: string;
    figures: string;
  }[];
  return runs.map((r) => {
    const values: Partial<Record<MeasureName, number[]>> = {};
    for (const text of JSON.parse(r.figures) as string[]) {
      for (const [k, v] of Object.entries(JSON.parse(text) as Record<string, number>)) {
        (values[k as MeasureName] ??= []).push(v);
      }
    }
    return { runId: r.run_id, medians: JSON.parse(r.medians) as number[], values };
  });
}
