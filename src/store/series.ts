/**
 * A series: one benchmark's results over the history runs of one branch on one testbed, in the
 * order the runs were stored, and the change points stored for it.
 */
import type Database from 'better-sqlite3';
import {
  byMeasure,
  seriesPointAt,
  type BenchmarkState,
  type MeasureName,
  type SeriesColumns,
  type SeriesPoint,
  type StoredChangePoint,
} from '../model.js';

/** Which series: a benchmark on a testbed, over the history runs of a branch. */
export interface SeriesKey {
  projectId: number;
  benchmarkId: number;
  testbedId: number;
  branch: string;
}

type Row = Record<string, unknown>;

/** The runs a series can have points in (a testbed's history runs of a branch), as columns. */
interface RunColumns {
  /** Count and newest rowid of those runs when read: runs are only ever added. */
  version: string;
  slot: Map<string, number>;
  runId: string[];
  sha: (string | null)[];
  message: (string | null)[];
  committedAt: (string | null)[];
  startedAt: string[];
}

// Every series of a testbed and branch shares its runs' commits, dates and messages (~240 KB of a
// 2,000-point series): they are read once per new run instead of joined for every request.
const runCache = new WeakMap<Database.Database, Map<string, RunColumns>>();

function runColumns(db: Database.Database, k: SeriesKey): RunColumns {
  const where = `project_id = ? AND testbed_id = ? AND kind = 'history' AND head_ref = ?`;
  const [n, last] = db
    .prepare(`SELECT count(*), max(rowid) FROM run WHERE ${where}`)
    .raw()
    .get(k.projectId, k.testbedId, k.branch) as [number, number | null];
  const version = `${n}:${last}`;
  let cache = runCache.get(db);
  if (!cache) runCache.set(db, (cache = new Map()));
  const key = `${k.projectId}\u0000${k.testbedId}\u0000${k.branch}`;
  const cached = cache.get(key);
  if (cached?.version === version) return cached;
  const rows = db
    .prepare(`SELECT id, head_sha, head_message, head_committed_at, started_at FROM run WHERE ${where} ORDER BY rowid`)
    .raw()
    .all(k.projectId, k.testbedId, k.branch) as [string, string | null, string | null, string | null, string][];
  const cols: RunColumns = {
    version,
    slot: new Map(),
    runId: [],
    sha: [],
    message: [],
    committedAt: [],
    startedAt: [],
  };
  rows.forEach(([id, sha, message, committedAt, startedAt], i) => {
    cols.slot.set(id, i);
    cols.runId.push(id);
    cols.sha.push(sha);
    cols.message.push(message);
    cols.committedAt.push(committedAt);
    cols.startedAt.push(startedAt);
  });
  if (cache.size >= 64) cache.clear();
  cache.set(key, cols);
  return cols;
}

/**
 * A benchmark's points: its range of `series_point`, then its results in the runs still pending
 * (CROSS JOIN: the pending runs, at most 64, drive the probes of `result` by primary key).
 */
export const SERIES_POINTS_SQL = `SELECT run_id, state, median_seconds FROM series_point WHERE benchmark_id = ?
  UNION ALL
  SELECT r.run_id, r.state, r.median_seconds FROM series_pending p CROSS JOIN result r ON r.run_id = p.run_id AND r.benchmark_id = ?`;

/**
 * Every point of the series, oldest first, as columns: the runs come from a per-testbed cache and
 * the benchmark's results from one range of `series_point` (benchmark, run, state, median) plus
 * the few runs still pending (migration 5) by primary key, so the cost is one range instead of
 * one lookup per run. Runs without a result for the benchmark have no point. The arrays may be
 * shared with the cache: do not modify them.
 */
export function seriesColumns(db: Database.Database, k: SeriesKey): SeriesColumns {
  const runs = runColumns(db, k);
  const n = runs.runId.length;
  const state: (BenchmarkState | undefined)[] = new Array<BenchmarkState | undefined>(n);
  const median: (number | null)[] = new Array<number | null>(n);
  let found = 0;
  const points = db.prepare(SERIES_POINTS_SQL).raw().all(k.benchmarkId, k.benchmarkId) as [
    string,
    BenchmarkState,
    number | null,
  ][];
  for (const [runId, st, m] of points) {
    const i = runs.slot.get(runId);
    if (i === undefined) continue;
    state[i] = st;
    median[i] = m;
    found++;
  }
  if (found === n) {
    return {
      runId: runs.runId,
      sha: runs.sha,
      message: runs.message,
      committedAt: runs.committedAt,
      startedAt: runs.startedAt,
      state: state as BenchmarkState[],
      medianSeconds: median,
    };
  }
  const out: SeriesColumns = {
    runId: [],
    sha: [],
    message: [],
    committedAt: [],
    startedAt: [],
    state: [],
    medianSeconds: [],
  };
  for (let i = 0; i < n; i++) {
    const st = state[i];
    if (st === undefined) continue;
    out.runId.push(runs.runId[i] as string);
    out.sha.push(runs.sha[i] ?? null);
    out.message.push(runs.message[i] ?? null);
    out.committedAt.push(runs.committedAt[i] ?? null);
    out.startedAt.push(runs.startedAt[i] as string);
    out.state.push(st);
    out.medianSeconds.push(median[i] ?? null);
  }
  return out;
}

// The series' runs drive probes of result_measure by its primary key (run, benchmark, measure).
const SERIES_RUNS = `FROM run CROSS JOIN result_measure rm ON rm.run_id = run.id AND rm.benchmark_id = ?
  WHERE run.project_id = ? AND run.testbed_id = ? AND run.kind = 'history' AND run.head_ref = ?`;

/** The measures the series has figures of, the built-in ones first (time always, the others where stored). */
export function seriesMeasures(db: Database.Database, k: SeriesKey): MeasureName[] {
  const found = new Set(
    db
      .prepare(`SELECT DISTINCT rm.measure ${SERIES_RUNS} AND rm.median IS NOT NULL`)
      .pluck()
      .all(k.benchmarkId, k.projectId, k.testbedId, k.branch) as string[],
  );
  found.delete('time');
  return ['time', ...[...found].sort(byMeasure)];
}

/** A measure's figure (`result_measure.median`) at each of the series' runs, aligned with `runIds`. */
export function seriesMeasureValues(
  db: Database.Database,
  k: SeriesKey,
  measure: MeasureName,
  runIds: readonly string[],
): (number | null)[] {
  const rows = db
    .prepare(`SELECT run.id, rm.median ${SERIES_RUNS} AND rm.measure = ?`)
    .raw()
    .all(k.benchmarkId, k.projectId, k.testbedId, k.branch, measure) as [string, number | null][];
  const byRun = new Map(rows);
  return runIds.map((id) => byRun.get(id) ?? null);
}

/** Every point of the series, oldest first. */
export function seriesPoints(db: Database.Database, k: SeriesKey): SeriesPoint[] {
  const c = seriesColumns(db, k);
  return c.runId.map((_, i) => seriesPointAt(c, i) as SeriesPoint);
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
export function replaceChangePoints(
  db: Database.Database,
  k: SeriesKey,
  fromPosition: number,
  points: number,
  found: StoredChangePoint[],
): void {
  db.transaction(() => {
    db.prepare('DELETE FROM change_point WHERE benchmark_id = ? AND testbed_id = ? AND position >= ?').run(
      k.benchmarkId,
      k.testbedId,
      fromPosition,
    );
    const insert = db.prepare(
      `INSERT INTO change_point (benchmark_id, testbed_id, run_id, position, p_value, statistic, mean_before, mean_after, change_pct)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const c of found)
      insert.run(
        k.benchmarkId,
        k.testbedId,
        c.runId,
        c.position,
        c.pValue,
        c.statistic,
        c.meanBefore,
        c.meanAfter,
        c.changePct,
      );
    db.prepare(
      `INSERT INTO change_point_series (benchmark_id, testbed_id, branch, stale, points, computed_at) VALUES (?, ?, ?, 0, ?, ?)
       ON CONFLICT (benchmark_id, testbed_id) DO UPDATE SET branch = excluded.branch, stale = 0, points = excluded.points, computed_at = excluded.computed_at`,
    ).run(k.benchmarkId, k.testbedId, k.branch, points, new Date().toISOString());
  })();
}

/**
 * Marks the series touched by a stored run as needing their change points recomputed; returns how
 * many series the run touches (0 unless it is a history run of `branch`). Series already marked
 * are left as they are: rewriting their rows was most of this step's time during a burst.
 */
export function markSeriesStale(db: Database.Database, runId: string, branch: string): number {
  const onBranch = db
    .prepare(`SELECT 1 FROM run WHERE id = ? AND kind = 'history' AND head_ref = ?`)
    .get(runId, branch);
  if (!onBranch) return 0;
  db.prepare(
    `INSERT INTO change_point_series (benchmark_id, testbed_id, branch, stale)
     SELECT r.benchmark_id, run.testbed_id, ?, 1 FROM result r JOIN run ON run.id = r.run_id WHERE r.run_id = ?
     ON CONFLICT (benchmark_id, testbed_id) DO UPDATE SET stale = 1, branch = excluded.branch
       WHERE change_point_series.stale = 0 OR change_point_series.branch <> excluded.branch`,
  ).run(branch, runId);
  return (db.prepare('SELECT count(*) AS n FROM result WHERE run_id = ?').get(runId) as { n: number }).n;
}

/** True when the series' change points are missing, stale, or were computed for another branch. */
export function seriesIsStale(db: Database.Database, k: SeriesKey): boolean {
  const row = db
    .prepare('SELECT stale, branch FROM change_point_series WHERE benchmark_id = ? AND testbed_id = ?')
    .get(k.benchmarkId, k.testbedId) as { stale: number; branch: string } | undefined;
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
  ).map((r) => ({
    projectId: r.project_id as number,
    benchmarkId: r.benchmark_id as number,
    testbedId: r.testbed_id as number,
    branch: r.branch as string,
  }));
}
