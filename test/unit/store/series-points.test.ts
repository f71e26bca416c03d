import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LATEST_VERSION, migrate } from '../../../src/store/migrate.js';
import { APPLICATION_ID, openStore } from '../../../src/store/open.js';
import { SERIES_BATCH_RUNS, SERIES_FLUSH_SQL, saveRun } from '../../../src/store/runs.js';
import { SERIES_POINTS_SQL, seriesColumns } from '../../../src/store/series.js';
import { tempDir } from '../../helpers.js';
import { sampleRun } from '../../fixtures/store/sample-run.js';

const key = { projectId: 1, testbedId: 1, benchmarkId: 1, branch: 'main' };

/** A database as a server at schema 4 left it: three history runs of two benchmarks, one errored result. */
function schema4Database(path: string): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`application_id = ${APPLICATION_ID}`);
  expect(migrate(db, 4)).toBe(4);
  db.exec(`
    INSERT INTO project (id, name) VALUES (1, 'demo');
    INSERT INTO testbed (id, key, cpu_model, cores, simd, os, node, gpu) VALUES (1, 'tb1', 'cpu', 2, 'avx2', 'linux-x64', 'v20', NULL);
    INSERT INTO benchmark (id, project_id, name, kernel, implementation, fixture, fixture_checksum) VALUES (1, 1, 'k/a/x', 'k', 'a', 'x', 'ff'), (2, 1, 'k/b/x', 'k', 'b', 'x', 'ff');
  `);
  for (const [i, id] of ['r1', 'r2', 'r3'].entries()) {
    db.prepare(
      `INSERT INTO run (id, project_id, testbed_id, kind, profile, started_at, finished_at, head_sha, head_ref, head_dirty, settings_json, summary_json)
       VALUES (?, 1, 1, 'history', 'quick', ?, ?, 'abc', 'main', 0, '{}', '{}')`,
    ).run(id, `2026-01-0${i + 1}T00:00:00Z`, `2026-01-0${i + 1}T00:01:00Z`);
    db.prepare(
      `INSERT INTO result (run_id, benchmark_id, state, median_seconds) VALUES (?, 1, ?, ?), (?, 2, 'completed', ?)`,
    ).run(id, id === 'r2' ? 'errored' : 'completed', id === 'r2' ? null : i + 1, id, 10 + i);
  }
  db.close();
}

describe('migration 5 (series points)', () => {
  it('moves an existing database’s points into series_point, drops result_series, and keeps its series', () => {
    const path = join(tempDir(), 'v4.db');
    schema4Database(path);
    const db = openStore(path);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'result_series'").get()).toBeUndefined();
    expect(
      db.prepare('SELECT benchmark_id, run_id, state, median_seconds FROM series_point ORDER BY 1, 2').raw().all(),
    ).toEqual([
      [1, 'r1', 'completed', 1],
      [1, 'r2', 'errored', null],
      [1, 'r3', 'completed', 3],
      [2, 'r1', 'completed', 10],
      [2, 'r2', 'completed', 11],
      [2, 'r3', 'completed', 12],
    ]);
    expect(seriesColumns(db, key)).toMatchObject({
      runId: ['r1', 'r2', 'r3'],
      state: ['completed', 'errored', 'completed'],
      medianSeconds: [1, null, 3],
    });
    // A run stored after the migration is pending, and its point is in the series straight away.
    const next = sampleRun('r4', [4, 4], 'k/a/x');
    next.benchmarks[0]!.fixtureChecksum = 'ff';
    next.testbed.key = 'tb1';
    saveRun(db, next);
    expect(db.prepare('SELECT run_id FROM series_pending').pluck().all()).toEqual(['r4']);
    expect(seriesColumns(db, key)).toMatchObject({ runId: ['r1', 'r2', 'r3', 'r4'], medianSeconds: [1, null, 3, 4] });
    db.close();
  });
});

describe('series points written in batches', () => {
  it(`copies the pending runs into series_point every ${SERIES_BATCH_RUNS} runs, and series read the same before and after`, () => {
    const db = openStore(join(tempDir(), 'h.db'));
    const runs = SERIES_BATCH_RUNS + 6;
    for (let i = 0; i < runs; i++) {
      const run = sampleRun(`run-${String(i).padStart(3, '0')}`, [i + 1]);
      if (i % 10 === 3) run.benchmarks[0]!.state = 'errored';
      saveRun(db, run);
      const pending = db.prepare('SELECT count(*) FROM series_pending').pluck().get();
      const stored = db.prepare('SELECT count(*) FROM series_point').pluck().get();
      expect([pending, stored]).toEqual(
        i + 1 < SERIES_BATCH_RUNS ? [i + 1, 0] : [i + 1 - SERIES_BATCH_RUNS, SERIES_BATCH_RUNS],
      );
      const series = seriesColumns(db, key);
      expect(series.runId).toHaveLength(i + 1);
      expect(series.medianSeconds.at(-1)).toBe(i + 1);
      expect(series.state.at(-1)).toBe(i % 10 === 3 ? 'errored' : 'completed');
    }
    db.close();
  });

  it('probe the pending runs by primary key instead of scanning result (query plans)', () => {
    const db = openStore(join(tempDir(), 'h.db'));
    const plan = (sql: string, ...args: unknown[]): string =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join(' | ');
    for (const p of [plan(SERIES_FLUSH_SQL), plan(SERIES_POINTS_SQL, 1, 1)]) {
      expect(p).toMatch(/SCAN p\b/);
      expect(p).toMatch(/SEARCH r USING INDEX sqlite_autoindex_result_1 \(run_id=\?/);
      expect(p).not.toMatch(/SCAN r\b|ANY\(run_id\)/);
    }
    db.close();
  });
});
