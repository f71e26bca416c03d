/**
 * A series: one benchmark's results over the history runs of one branch on one testbed, in the
 * order the runs were stored, and the change points stored for it.
 */
import type Database from 'better-sqlite3';
import type { BenchmarkState, SeriesPoint, StoredChangePoint } from '../model.js';

/** Which series: a benchmark on a testbed, over the history runs of a branch. */
export interface SeriesKey {
  projectId: number;
  benchmarkId: number;
  testbedId: number;
  branch: string;
}

type Row = Record<string, unknown>;

/** Every point of the series, oldest first. */
export function seriesPoints(db: Database.Database, k: SeriesKey): SeriesPoint[] {
  const rows = db
    .prepare(
      `SELECT run.id, run.head_sha, run.head_message, run.head_committed_at, run.started_at, r.state, r.median_seconds
       FROM run JOIN result r ON r.run_id = run.id AND r.benchmark_id = ?
       WHERE run.project_id = ? AND run.testbed_id = ? AND run.kind = 'history' AND run.head_ref = ?
       ORDER BY run.rowid`,
    )
    .raw()
    .all(k.benchmarkId, k.projectId, k.testbedId, k.branch) as unknown[][];
  return rows.map((r) => ({
    runId: r[0] as string,
    sha: r[1] as string | null,
    message: r[2] as string | null,
    committedAt: r[3] as string | null,
    startedAt: r[4] as string,
    state: r[5] as BenchmarkState,
    medianSeconds: r[6] as number | null,
  }));
}

/** The stored change points of a series, by position. */
export function storedChangePoints(db: Database.Database, benchmarkId: number, testbedId: number): StoredChangePoint[] {
  const rows = db
    .prepare(
      `SELECT cp.*, run.head_sha FROM change_point cp JOIN run ON run.id = cp.run_id
       WHERE cp.benchmark_id = ? AND cp.testbed_id = ? ORDER BY cp.position`,
    )
    .all(benchmarkId, testbedId) as Row[];
  return rows.map((r) => ({
    position: r.position as number,
    runId: r.run_id as string,
    sha: r.head_sha as string | null,
    pValue: r.p_value as number,
    statistic: r.statistic as number,
    meanBefore: r.mean_before as number,
    meanAfter: r.mean_after as number,
    changePct: r.change_pct as number,
  }));
}

/**
 * Replaces the stored change points from `fromPosition` on (the part of the series that was
 * analysed) and marks the series fresh, in one transaction.
 */
export function replaceChangePoints(db: Database.Database, k: SeriesKey, fromPosition: number, points: number, found: StoredChangePoint[]): void {
  db.transaction(() => {
    db.prepare('DELETE FROM change_point WHERE benchmark_id = ? AND testbed_id = ? AND position >= ?').run(k.benchmarkId, k.testbedId, fromPosition);
    const insert = db.prepare(
      `INSERT INTO change_point (benchmark_id, testbed_id, run_id, position, p_value, statistic, mean_before, mean_after, change_pct)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const c of found) insert.run(k.benchmarkId, k.testbedId, c.runId, c.position, c.pValue, c.statistic, c.meanBefore, c.meanAfter, c.changePct);
    db.prepare(
      `INSERT INTO change_point_series (benchmark_id, testbed_id, branch, stale, points, computed_at) VALUES (?, ?, ?, 0, ?, ?)
       ON CONFLICT (benchmark_id, testbed_id) DO UPDATE SET branch = excluded.branch, stale = 0, points = excluded.points, computed_at = excluded.computed_at`,
    ).run(k.benchmarkId, k.testbedId, k.branch, points, new Date().toISOString());
  })();
}

/** Marks the series touched by a stored run as needing their change points recomputed. */
export function markSeriesStale(db: Database.Database, runId: string, branch: string): number {
  return db
    .prepare(
      `INSERT INTO change_point_series (benchmark_id, testbed_id, branch, stale)
       SELECT r.benchmark_id, run.testbed_id, ?, 1 FROM result r JOIN run ON run.id = r.run_id
       WHERE r.run_id = ? AND run.kind = 'history' AND run.head_ref = ?
       ON CONFLICT (benchmark_id, testbed_id) DO UPDATE SET stale = 1, branch = excluded.branch`,
    )
    .run(branch, runId, branch).changes;
}

/** True when the series' change points are missing, stale, or were computed for another branch. */
export function seriesIsStale(db: Database.Database, k: SeriesKey): boolean {
  const row = db.prepare('SELECT stale, branch FROM change_point_series WHERE benchmark_id = ? AND testbed_id = ?').get(k.benchmarkId, k.testbedId) as
    | { stale: number; branch: string }
    | undefined;
  return row === undefined || row.stale === 1 || row.branch !== k.branch;
}

/** Up to `limit` stale series (with their project), oldest mark first. */
export function staleSeries(db: Database.Database, limit: number): SeriesKey[] {
  return (
    db
      .prepare(
        `SELECT s.benchmark_id, s.testbed_id, s.branch, b.project_id FROM change_point_series s JOIN benchmark b ON b.id = s.benchmark_id
         WHERE s.stale = 1 LIMIT ?`,
      )
      .all(limit) as Row[]
  ).map((r) => ({ projectId: r.project_id as number, benchmarkId: r.benchmark_id as number, testbedId: r.testbed_id as number, branch: r.branch as string }));
}
