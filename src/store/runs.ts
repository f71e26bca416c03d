/**
 * Writing and reading whole runs. A run is written in one transaction and is idempotent by its
 * id: a crash mid-run writes nothing, and storing the same run twice changes nothing.
 */
import type Database from 'better-sqlite3';
import {
  byMeasure,
  RUN_SCHEMA,
  type BenchmarkProfile,
  type BenchmarkResult,
  type CountProfile,
  type BenchmarkState,
  type KeptCounts,
  type KeptSelfTimes,
  type MeasureName,
  type MeasureResult,
  type Presence,
  type ProcessMeasurement,
  type Revision,
  type RunReport,
  type Side,
  type Testbed,
  type Verdict,
  type VerdictKind,
} from '../model.js';
import { keptCountsJson, keptFunctionsJson, parseKeptCounts, parseKeptFunctions } from './kept-profiles.js';

// Prepared statements per connection: preparing costs more than running these small statements,
// and a 500-benchmark run runs each of them 500 times.
const prepared = new WeakMap<Database.Database, Map<string, Database.Statement>>();

function statement(db: Database.Database, sql: string): Database.Statement {
  let cache = prepared.get(db);
  if (!cache) prepared.set(db, (cache = new Map()));
  let s = cache.get(sql);
  if (!s) cache.set(sql, (s = db.prepare(sql)));
  return s;
}

function idOf(db: Database.Database, select: string, insert: string, key: unknown[], values: unknown[]): number {
  const found = statement(db, select).get(...key) as { id: number } | undefined;
  if (found) return found.id;
  return Number(statement(db, insert).run(...values).lastInsertRowid);
}

/** Finds or creates the project row. */
export function projectId(db: Database.Database, name: string): number {
  return idOf(db, 'SELECT id FROM project WHERE name = ?', 'INSERT INTO project (name) VALUES (?)', [name], [name]);
}

/** Finds or creates the testbed row for a fingerprint. */
export function testbedId(db: Database.Database, t: Testbed): number {
  return idOf(
    db,
    'SELECT id FROM testbed WHERE key = ?',
    'INSERT INTO testbed (key, cpu_model, cores, simd, os, node, gpu) VALUES (?, ?, ?, ?, ?, ?, ?)',
    [t.key],
    [t.key, t.cpuModel, t.cores, t.simd, t.os, t.node, t.gpu],
  );
}

/** Finds or creates the benchmark row (a new fixture checksum is a new benchmark). */
export function benchmarkId(db: Database.Database, project: number, b: BenchmarkResult): number {
  return idOf(
    db,
    'SELECT id FROM benchmark WHERE project_id = ? AND name = ? AND fixture_checksum = ?',
    'INSERT INTO benchmark (project_id, name, kernel, implementation, fixture, fixture_checksum, flops, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    [project, b.name, b.fixtureChecksum],
    [project, b.name, b.kernel, b.implementation, b.fixture, b.fixtureChecksum, b.work.flops, b.work.bytes],
  );
}

/** Rows per multi-row INSERT: one statement call per 64 rows instead of one per row. */
const ROWS_PER_INSERT = 64;

/**
 * Buffers rows for one table and inserts them 64 to a statement (`INSERT … VALUES (…), (…), …`):
 * a run writes ~1,500 small rows, and the per-call cost of a statement was a third of their time.
 * Call `flush` after the last row.
 */
export class RowWriter {
  private values: unknown[] = [];
  private rows = 0;

  constructor(
    private readonly db: Database.Database,
    private readonly into: string,
    private readonly width: number,
  ) {}

  /** Queues one row (its values in the column order given to the constructor). */
  add(...row: unknown[]): void {
    for (const v of row) this.values.push(v);
    if (++this.rows === ROWS_PER_INSERT) this.flush();
  }

  /** Inserts the queued rows. */
  flush(): void {
    if (this.rows === 0) return;
    const tuple = `(${new Array<string>(this.width).fill('?').join(', ')})`;
    statement(this.db, `INSERT INTO ${this.into} VALUES ${new Array<string>(this.rows).fill(tuple).join(', ')}`).run(
      this.values,
    );
    this.values = [];
    this.rows = 0;
  }
}

const revisionColumns = (r: Revision | null): unknown[] =>
  r === null ? [null, null, null, null, null] : [r.sha, r.ref, r.dirty ? 1 : 0, r.message, r.committedAt];

/** Stores a run in one transaction. Returns false when a run with this id was already stored. */
export function saveRun(db: Database.Database, report: RunReport): boolean {
  return db.transaction(() => {
    if (statement(db, 'SELECT 1 FROM run WHERE id = ?').get(report.id)) return false;
    const project = projectId(db, report.project);
    statement(
      db,
      `INSERT INTO run (id, project_id, testbed_id, kind, profile, started_at, finished_at,
         head_sha, head_ref, head_dirty, head_message, head_committed_at,
         base_sha, base_ref, base_dirty, base_message, base_committed_at, settings_json, summary_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      report.id,
      project,
      testbedId(db, report.testbed),
      report.kind,
      report.profile,
      report.startedAt,
      report.finishedAt,
      ...revisionColumns(report.head),
      ...revisionColumns(report.base),
      JSON.stringify(report.settings),
      JSON.stringify(report.summary),
    );
    // One query for the project's benchmark ids instead of one lookup per benchmark.
    const known = new Map<string, number>();
    for (const [id, name, checksum] of statement(
      db,
      'SELECT id, name, fixture_checksum FROM benchmark WHERE project_id = ?',
    )
      .raw()
      .all(project) as [number, string, string][]) {
      known.set(`${checksum}\u0000${name}`, id);
    }
    const results = new RowWriter(
      db,
      'result (run_id, benchmark_id, presence, state, reason, median_seconds, spread_pct, baseline_median_seconds, gflops, gbps, gated)',
      11,
    );
    const others = new RowWriter(
      db,
      'result_measure (run_id, benchmark_id, measure, gated, median, baseline_median, verdict_json)',
      7,
    );
    const measurements = new RowWriter(
      db,
      'measurement (run_id, benchmark_id, round, side, state, reason, samples, median_seconds, mean_seconds, min_seconds, max_seconds, mad_seconds, values_json, block_log_ratio)',
      14,
    );
    const verdicts = new RowWriter(
      db,
      'verdict (run_id, benchmark_id, verdict, method, change_pct, ci_low_pct, ci_high_pct, p_value, threshold_pct, reason, details_json)',
      11,
    );
    const profiles = new RowWriter(db, 'result_profile (run_id, benchmark_id, profile_json, count_profile_json)', 4);
    const kept = new RowWriter(db, 'kept_profile (run_id, benchmark_id, calls, functions_json)', 4);
    const keptCounts = new RowWriter(
      db,
      'kept_count_profile (run_id, benchmark_id, unit, profiler, calls, functions_json)',
      6,
    );
    for (const b of report.benchmarks) {
      const bench = known.get(`${b.fixtureChecksum}\u0000${b.name}`) ?? benchmarkId(db, project, b);
      results.add(
        report.id,
        bench,
        b.presence,
        b.state,
        b.reason,
        b.medianSeconds,
        b.spreadPct,
        b.baselineMedianSeconds,
        b.gflops,
        b.gbps,
        b.gated === false ? 0 : 1,
      );
      for (const o of b.measures) {
        const verdict = o.verdict === null ? null : JSON.stringify(o.verdict);
        others.add(report.id, bench, o.measure, o.gated ? 1 : 0, o.median, o.baselineMedian, verdict);
      }
      for (const m of b.measurements) {
        measurements.add(
          report.id,
          bench,
          m.round,
          m.side,
          m.state,
          m.reason,
          m.samples,
          m.medianSeconds,
          m.meanSeconds,
          m.minSeconds,
          m.maxSeconds,
          m.madSeconds,
          m.values && Object.keys(m.values).length > 0 ? JSON.stringify(m.values) : null,
          m.blockLogRatio ?? null,
        );
      }
      const v = b.verdict;
      if (v !== null)
        verdicts.add(
          report.id,
          bench,
          v.kind,
          v.method,
          v.changePct,
          v.ciLowPct,
          v.ciHighPct,
          v.pValue,
          v.thresholdPct,
          v.reason,
          JSON.stringify(v.details),
        );
      if (b.profile !== undefined || b.countProfile !== undefined)
        profiles.add(
          report.id,
          bench,
          b.profile === undefined ? null : JSON.stringify(b.profile),
          b.countProfile === undefined ? null : JSON.stringify(b.countProfile),
        );
      if (b.keptProfile !== undefined)
        kept.add(report.id, bench, b.keptProfile.calls, keptFunctionsJson(b.keptProfile.functions));
      const k = b.keptCountProfile;
      if (k !== undefined) keptCounts.add(report.id, bench, k.unit, k.profiler, k.calls, keptCountsJson(k.functions));
    }
    results.flush();
    measurements.flush();
    verdicts.flush();
    others.flush();
    profiles.flush();
    kept.flush();
    keptCounts.flush();
    statement(db, 'INSERT INTO series_pending (run_id) VALUES (?)').run(report.id);
    const pending = (statement(db, 'SELECT count(*) AS n FROM series_pending').get() as { n: number }).n;
    if (pending >= SERIES_BATCH_RUNS) flushSeriesPoints(db);
    return true;
  })();
}

/**
 * Pending runs whose points are copied into `series_point` together (migration 5): each leaf of
 * that table is then written once per batch instead of once per run; a series read probes at most
 * this many pending runs by primary key.
 */
export const SERIES_BATCH_RUNS = 64;

/**
 * The copy of pending runs' points, in key order. CROSS JOIN keeps the pending list as the outer
 * loop: left to itself the planner scanned all of `result` (70 ms on a million rows) instead of
 * probing 64 runs by primary key (2 ms).
 */
export const SERIES_FLUSH_SQL = `INSERT INTO series_point (benchmark_id, run_id, state, median_seconds)
  SELECT r.benchmark_id, r.run_id, r.state, r.median_seconds FROM series_pending p CROSS JOIN result r ON r.run_id = p.run_id
  ORDER BY r.benchmark_id, r.run_id`;

/** Copies the pending runs' results into `series_point` and clears the list. */
export function flushSeriesPoints(db: Database.Database): number {
  return db.transaction(() => {
    const copied = statement(db, SERIES_FLUSH_SQL).run().changes;
    statement(db, 'DELETE FROM series_pending').run();
    return copied;
  })();
}

type Row = Record<string, unknown>;

const revisionFrom = (row: Row, prefix: 'head' | 'base'): Revision | null =>
  prefix === 'base' && row.base_dirty === null
    ? null
    : {
        sha: row[`${prefix}_sha`] as string | null,
        ref: row[`${prefix}_ref`] as string | null,
        dirty: row[`${prefix}_dirty`] === 1,
        message: row[`${prefix}_message`] as string | null,
        committedAt: row[`${prefix}_committed_at`] as string | null,
      };

/** A benchmark row's identity (`name`, `kernel`, … `flops`, `bytes` columns) as the model has it. */
export function benchmarkIdentityFromRow(
  r: Record<string, unknown>,
): Pick<BenchmarkResult, 'name' | 'kernel' | 'implementation' | 'fixture' | 'fixtureChecksum' | 'work'> {
  return {
    name: r.name as string,
    kernel: r.kernel as string,
    implementation: r.implementation as string,
    fixture: r.fixture as string,
    fixtureChecksum: r.fixture_checksum as string,
    work: { flops: r.flops as number | null, bytes: r.bytes as number | null },
  };
}

/** A testbed row (`key`, `cpu_model`, … columns) as the model's Testbed. */
export function testbedFromRow(r: Record<string, unknown>): Testbed {
  return {
    key: r.key as string,
    cpuModel: r.cpu_model as string,
    cores: r.cores as number,
    simd: r.simd as string,
    os: r.os as string,
    node: r.node as string,
    gpu: r.gpu as string | null,
  };
}

/** Reads a stored run back into the report model, or null when no run has this id. */
export function loadRun(db: Database.Database, id: string): RunReport | null {
  const run = db
    .prepare(
      `SELECT run.*, project.name AS project, testbed.key, testbed.cpu_model, testbed.cores, testbed.simd, testbed.os, testbed.node, testbed.gpu
       FROM run JOIN project ON project.id = run.project_id JOIN testbed ON testbed.id = run.testbed_id WHERE run.id = ?`,
    )
    .get(id) as Row | undefined;
  if (!run) return null;
  const results = db
    .prepare(
      `SELECT b.id AS bid, b.name, b.kernel, b.implementation, b.fixture, b.fixture_checksum, b.flops, b.bytes,
              r.presence, r.gated, r.state, r.reason, r.median_seconds, r.spread_pct, r.baseline_median_seconds, r.gflops, r.gbps,
              v.verdict, v.method, v.change_pct, v.ci_low_pct, v.ci_high_pct, v.p_value, v.threshold_pct, v.reason AS verdict_reason, v.details_json
       FROM result r JOIN benchmark b ON b.id = r.benchmark_id
       LEFT JOIN verdict v ON v.run_id = r.run_id AND v.benchmark_id = r.benchmark_id
       WHERE r.run_id = ? ORDER BY b.name`,
    )
    .all(id) as Row[];
  const measurementsOf = db.prepare(
    'SELECT * FROM measurement WHERE run_id = ? AND benchmark_id = ? ORDER BY round, side',
  );
  const measuresOf = db.prepare('SELECT * FROM result_measure WHERE run_id = ? AND benchmark_id = ? ORDER BY measure');
  // Few results have profiles (regressions only): one query for the run, not one per benchmark.
  const profiles = new Map<number, Row>();
  for (const p of db.prepare('SELECT * FROM result_profile WHERE run_id = ?').all(id) as Row[])
    profiles.set(p.benchmark_id as number, p);
  const kept = new Map<number, KeptSelfTimes>();
  for (const k of db.prepare('SELECT * FROM kept_profile WHERE run_id = ?').all(id) as Row[])
    kept.set(k.benchmark_id as number, {
      calls: k.calls as number,
      functions: parseKeptFunctions(k.functions_json as string, `the profile kept by run ${id}`),
    });
  const keptCounts = new Map<number, KeptCounts>();
  for (const k of db.prepare('SELECT * FROM kept_count_profile WHERE run_id = ?').all(id) as Row[])
    keptCounts.set(k.benchmark_id as number, {
      unit: k.unit as KeptCounts['unit'],
      profiler: k.profiler as string,
      calls: k.calls as number,
      functions: parseKeptCounts(k.functions_json as string, `the ${k.unit as string} profile kept by run ${id}`),
    });
  return {
    schema: RUN_SCHEMA,
    id,
    kind: run.kind as RunReport['kind'],
    project: run.project as string,
    profile: run.profile as string,
    startedAt: run.started_at as string,
    finishedAt: run.finished_at as string,
    testbed: testbedFromRow(run),
    head: revisionFrom(run, 'head') as Revision,
    base: revisionFrom(run, 'base'),
    settings: JSON.parse(run.settings_json as string) as Record<string, unknown>,
    summary: JSON.parse(run.summary_json as string) as RunReport['summary'],
    benchmarks: results.map((r) => {
      const result = withProfiles(
        resultFromRow(r, measurementsOf.all(id, r.bid) as Row[], measuresOf.all(id, r.bid) as Row[]),
        profiles.get(r.bid as number),
      );
      const keptProfile = kept.get(r.bid as number);
      const keptCountProfile = keptCounts.get(r.bid as number);
      return {
        ...result,
        ...(keptProfile === undefined ? {} : { keptProfile }),
        ...(keptCountProfile === undefined ? {} : { keptCountProfile }),
      };
    }),
  };
}

/** A result with the differential profiles of its `result_profile` row, when it has one. */
function withProfiles(result: BenchmarkResult, row: Row | undefined): BenchmarkResult {
  if (row === undefined) return result;
  return {
    ...result,
    ...(typeof row.profile_json === 'string' ? { profile: JSON.parse(row.profile_json) as BenchmarkProfile } : {}),
    ...(typeof row.count_profile_json === 'string'
      ? { countProfile: JSON.parse(row.count_profile_json) as CountProfile }
      : {}),
  };
}

/** A result row (with its verdict's columns, null when it has none) and its measurement rows as the model has them. */
function resultFromRow(r: Row, measurementRows: Row[], measureRows: Row[]): BenchmarkResult {
  const base = {
    ...benchmarkIdentityFromRow(r),
    presence: r.presence as Presence,
    ...(r.gated === 0 ? { gated: false } : {}),
    baselineMedianSeconds: r.baseline_median_seconds as number | null,
    measurements: measurementRows.map((m) => ({
      round: m.round as number,
      side: m.side as Side,
      state: m.state as BenchmarkState,
      reason: m.reason as string | null,
      samples: m.samples as number,
      medianSeconds: m.median_seconds as number | null,
      meanSeconds: m.mean_seconds as number | null,
      minSeconds: m.min_seconds as number | null,
      maxSeconds: m.max_seconds as number | null,
      madSeconds: m.mad_seconds as number | null,
      ...(typeof m.values_json === 'string'
        ? { values: JSON.parse(m.values_json) as ProcessMeasurement['values'] }
        : {}),
      ...(typeof m.block_log_ratio === 'number' ? { blockLogRatio: m.block_log_ratio } : {}),
    })),
  };
  // The built-in measures first, as pipelines write them.
  const measures = [...measureRows]
    .sort((a, b) => byMeasure(a.measure as MeasureName, b.measure as MeasureName))
    .map((o): MeasureResult => ({
      measure: o.measure as MeasureName,
      gated: o.gated === 1,
      median: o.median as number | null,
      baselineMedian: o.baseline_median as number | null,
      verdict: typeof o.verdict_json === 'string' ? (JSON.parse(o.verdict_json) as Verdict) : null,
    }));
  const state = r.state as BenchmarkState;
  if (state !== 'completed')
    return {
      ...base,
      state,
      reason: (r.reason as string | null) ?? state,
      medianSeconds: null,
      spreadPct: null,
      gflops: null,
      gbps: null,
      verdict: null,
      measures: [],
    };
  return {
    ...base,
    measures,
    state,
    reason: r.reason as string | null,
    medianSeconds: r.median_seconds as number,
    spreadPct: r.spread_pct as number | null,
    gflops: r.gflops as number | null,
    gbps: r.gbps as number | null,
    verdict: r.verdict === null || r.verdict === undefined ? null : verdictFromRow(r, r.verdict_reason),
  };
}

/** A verdict row's columns (`verdict`, `method`, `change_pct`, …) as the model's Verdict; `reason` is passed as its column may be renamed in a join. */
export function verdictFromRow(r: Row, reason: unknown): Verdict {
  return {
    kind: r.verdict as VerdictKind,
    method: r.method as string,
    changePct: r.change_pct as number | null,
    ciLowPct: r.ci_low_pct as number | null,
    ciHighPct: r.ci_high_pct as number | null,
    pValue: r.p_value as number | null,
    thresholdPct: r.threshold_pct as number | null,
    reason: reason as string,
    details: r.details_json ? (JSON.parse(r.details_json as string) as Record<string, unknown>) : {},
  };
}
