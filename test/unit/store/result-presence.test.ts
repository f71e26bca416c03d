/** Migration 6: presence moves from placeholder verdicts to a column; runs stored before it load in today's shape. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/store/migrate.js';
import { loadRun } from '../../../src/store/runs.js';

/** A compare run as the store held it at schema version 5: every result had a verdict row. */
function version5Store(): Database.Database {
  const db = new Database(':memory:');
  migrate(db, 5);
  db.exec(`
    INSERT INTO project (id, name) VALUES (1, 'p');
    INSERT INTO testbed (id, key, cpu_model, cores, simd, os, node, gpu) VALUES (1, 'tb', 'cpu', 2, 'avx2', 'linux-x64', 'v20', NULL);
    INSERT INTO run (id, project_id, testbed_id, kind, profile, started_at, finished_at, settings_json, summary_json)
      VALUES ('r1', 1, 1, 'compare', 'quick', '2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z', '{}', '{}');
    INSERT INTO benchmark (id, project_id, name, kernel, implementation, fixture, fixture_checksum) VALUES
      (1, 1, 'k/a/x', 'k', 'a', 'x', 'c1'), (2, 1, 'k/new/x', 'k', 'new', 'x', 'c1'), (3, 1, 'k/gpu/x', 'k', 'gpu', 'x', 'c1');
    INSERT INTO result (run_id, benchmark_id, state, reason, median_seconds) VALUES
      ('r1', 1, 'completed', NULL, 0.001), ('r1', 2, 'completed', NULL, 0.002), ('r1', 3, 'skipped', 'no GPU', NULL);
    INSERT INTO verdict (run_id, benchmark_id, verdict, method, change_pct, reason, details_json) VALUES
      ('r1', 1, 'regressed', 'paired-capped-rank-hl', 4.2, 'slower', '{"familySize":1}'),
      ('r1', 2, 'inconclusive', 'presence', NULL, 'only the head revision has this benchmark (added): not compared', '{"presence":"added"}'),
      ('r1', 3, 'inconclusive', 'none', NULL, 'skipped: no GPU', '{}');
  `);
  return db;
}

describe('migration 6 (result presence)', () => {
  it('moves presence into its column and drops the placeholder verdicts', () => {
    const db = version5Store();
    expect(migrate(db)).toBeGreaterThanOrEqual(6);
    const presence = db.prepare('SELECT benchmark_id AS id, presence FROM result ORDER BY benchmark_id').all();
    expect(presence).toEqual([
      { id: 1, presence: 'both' },
      { id: 2, presence: 'added' },
      { id: 3, presence: 'both' },
    ]);
    expect(db.prepare('SELECT benchmark_id AS id, method FROM verdict').all()).toEqual([
      { id: 1, method: 'paired-capped-rank-hl' },
    ]);
    const run = loadRun(db, 'r1');
    const by = new Map(run?.benchmarks.map((b) => [b.name, b]));
    expect(by.get('k/a/x')).toMatchObject({
      presence: 'both',
      state: 'completed',
      verdict: { kind: 'regressed', changePct: 4.2 },
    });
    expect(by.get('k/new/x')).toMatchObject({ presence: 'added', state: 'completed', verdict: null });
    expect(by.get('k/gpu/x')).toMatchObject({
      presence: 'both',
      state: 'skipped',
      reason: 'no GPU',
      medianSeconds: null,
      verdict: null,
    });
    db.close();
  });
});
