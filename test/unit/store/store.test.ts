import Database from 'better-sqlite3';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LATEST_VERSION, migrate } from '../../../src/store/migrate.js';
import { APPLICATION_ID, openStore, StoreError, storeFault } from '../../../src/store/open.js';
import { historyFor } from '../../../src/store/history.js';
import { loadRun, saveRun } from '../../../src/store/runs.js';
import { seriesColumns, seriesPoints } from '../../../src/store/series.js';
import { ingestRun } from '../../../src/server/ingest/ingest.js';
import { jsonReportDigest, legacyReportDigest, reportDigest } from '../../../src/server/ingest/run-digest.js';
import { validateRun } from '../../../src/validate/run.js';
import { tempDir } from '../../helpers.js';
import { sampleRun } from '../../fixtures/store/sample-run.js';
import { historyRunAt } from '../../fixtures/server/history.js';

describe('openStore', () => {
  it('creates a new database with WAL, the benchgate marker and every migration', () => {
    const path = join(tempDir(), 'sub', 'history.db');
    const db = openStore(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(10000);
    db.close();
  });

  it('refuses a file that is not SQLite and leaves it untouched', () => {
    const path = join(tempDir(), 'notes.db');
    writeFileSync(path, 'these are my notes, not a database\n'.repeat(100));
    const before = readFileSync(path);
    expect(() => openStore(path)).toThrow(StoreError);
    expect(() => openStore(path)).toThrow(/not an SQLite database .*left untouched/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses a corrupt SQLite file and leaves it untouched', () => {
    const path = join(tempDir(), 'corrupt.db');
    const db = openStore(path);
    saveRun(db, sampleRun('r1', [1, 1.1, 0.9]));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const bytes = readFileSync(path);
    bytes.fill(0xa5, 100, bytes.length); // keep the header, scramble every page
    writeFileSync(path, bytes);
    expect(() => openStore(path)).toThrow(/corrupt|malformed|cannot open/);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it("refuses another application's SQLite database and leaves it untouched", () => {
    const path = join(tempDir(), 'foreign.db');
    const foreign = new Database(path);
    foreign.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5);');
    foreign.close();
    const before = readFileSync(path);
    expect(() => openStore(path)).toThrow(/another application/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses a database from a newer benchgate', () => {
    const path = join(tempDir(), 'newer.db');
    openStore(path).close();
    const db = new Database(path);
    db.pragma(`user_version = ${LATEST_VERSION + 1}`);
    db.close();
    expect(() => openStore(path)).toThrow(/newer than this benchgate knows/);
  });
});

/** A real store of 40 history runs, checkpointed into its main file; returns its path and page size. */
function realStore(): { path: string; pageSize: number } {
  const path = join(tempDir(), 'history.db');
  const db = openStore(path);
  for (let i = 0; i < 40; i++) ingestRun(db, historyRunAt(i, 40), 'main');
  db.pragma('wal_checkpoint(TRUNCATE)');
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  return { path, pageSize };
}

/** Overwrites `count` pages from the middle of the file with bytes no b-tree page has. */
function overwritePages(path: string, pageSize: number, count: number): Buffer {
  const bytes = readFileSync(path);
  const pages = bytes.length / pageSize;
  const first = Math.floor(pages / 2);
  bytes.fill(0xa5, first * pageSize, (first + count) * pageSize);
  writeFileSync(path, bytes);
  return bytes;
}

describe('store faults', () => {
  it('refuses to write to a store with overwritten pages (quick_check) and leaves it untouched', () => {
    const { path, pageSize } = realStore();
    const bytes = overwritePages(path, pageSize, 4);
    expect(() => openStore(path)).toThrow(StoreError);
    expect(() => openStore(path)).toThrow(/history\.db is corrupt \(.*\); it was left untouched/);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('turns a damaged page met by a reader into a StoreError naming the file', () => {
    const { path, pageSize } = realStore();
    overwritePages(path, pageSize, 8);
    const db = openStore(path, { readonly: true });
    let caught: unknown = null;
    try {
      for (const { id } of db.prepare('SELECT id FROM run').all() as { id: string }[]) loadRun(db, id);
    } catch (e) {
      caught = storeFault(e, path);
    } finally {
      db.close();
    }
    expect(caught).toBeInstanceOf(StoreError);
    expect((caught as Error).message).toMatch(/history\.db is corrupt \(SQLITE_CORRUPT/);
  });

  it('turns a full disk into a StoreError that says nothing was stored', () => {
    const path = join(tempDir(), 'full.db');
    const db = openStore(path);
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 2}`);
    let caught: unknown = null;
    try {
      for (let i = 0; i < 20; i++) ingestRun(db, historyRunAt(i, 20), 'main');
    } catch (e) {
      caught = storeFault(e, path);
    }
    expect(caught).toBeInstanceOf(StoreError);
    expect((caught as Error).message).toMatch(
      /cannot write to .*full\.db: the disk is full \(SQLITE_FULL\); nothing was stored/,
    );
    expect(storeFault(new Error('other'), path)).toBeNull();
    db.close();
  });

  it.each([
    ['another application id', 0x12345678, 0],
    ['a user_version but no benchgate marker', 0, 42],
  ])('names an empty database with %s as not a benchgate database', (_name, appId, version) => {
    const path = join(tempDir(), 'foreign-empty.db');
    const foreign = new Database(path);
    foreign.pragma(`application_id = ${appId}`);
    foreign.pragma(`user_version = ${version}`);
    foreign.close();
    const before = readFileSync(path);
    expect(() => openStore(path)).toThrow(
      /is not a benchgate database: it is an SQLite database of another application/,
    );
    expect(() => openStore(path, { readonly: true })).toThrow(/is not a benchgate database/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('opens read-only without creating, migrating or writing anything', () => {
    const dir = tempDir();
    expect(() => openStore(join(dir, 'missing.db'), { readonly: true })).toThrow(/missing\.db does not exist/);
    expect(existsSync(join(dir, 'missing.db'))).toBe(false);
    const { path } = realStore();
    const before = readFileSync(path);
    const db = openStore(path, { readonly: true });
    expect(db.readonly).toBe(true);
    expect(db.prepare('SELECT count(*) FROM run').pluck().get()).toBe(40);
    expect(() => db.prepare("INSERT INTO project (name) VALUES ('x')").run()).toThrow(/readonly/);
    db.close();
    expect(readFileSync(path).equals(before)).toBe(true);
    const old = join(dir, 'old.db');
    const o = new Database(old);
    o.pragma(`application_id = ${APPLICATION_ID}`);
    migrate(o, 1);
    o.close();
    expect(() => openStore(old, { readonly: true })).toThrow(/schema version 1, older .* read-only/);
  });
});

describe('migrations', () => {
  it('bring an older database forward without losing its data', () => {
    const path = join(tempDir(), 'old.db');
    const old = new Database(path);
    old.pragma(`application_id = ${APPLICATION_ID}`);
    expect(migrate(old, 1)).toBe(1);
    old.exec("INSERT INTO project (name) VALUES ('legacy')");
    expect(old.prepare("SELECT name FROM sqlite_schema WHERE name = 'verdict'").get()).toBeUndefined();
    old.close();
    const db = openStore(path);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(db.prepare('SELECT name FROM project').all()).toEqual([{ name: 'legacy' }]);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'verdict'").get()).toEqual({ name: 'verdict' });
    db.close();
  });

  it('are idempotent: opening twice migrates once', () => {
    const path = join(tempDir(), 'twice.db');
    openStore(path).close();
    const db = openStore(path);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    db.close();
  });
});

describe('runs', () => {
  it('round-trip through the database, names and messages faithfully', () => {
    const db = openStore(join(tempDir(), 'h.db'));
    const run = sampleRun('run-1', [0.01, 0.011, 0.0105], `names/quote"s <b>html</b> & ünïcødé ✓/x`);
    expect(saveRun(db, run)).toBe(true);
    expect(loadRun(db, 'run-1')).toEqual(run);
    expect(loadRun(db, 'missing')).toBeNull();
    db.close();
  });

  it("keep a paired process's block-by-block ratio", () => {
    const db = openStore(join(tempDir(), 'h.db'));
    const run = sampleRun('run-1', [0.01, 0.011]);
    const ms = run.benchmarks[0]!.measurements;
    ms[0] = { ...ms[0]!, blockLogRatio: 0.0488 };
    saveRun(db, run);
    expect(loadRun(db, 'run-1')!.benchmarks[0]!.measurements.map((m) => m.blockLogRatio)).toEqual([0.0488, undefined]);
    db.close();
  });

  it('are idempotent by id', () => {
    const db = openStore(join(tempDir(), 'h.db'));
    expect(saveRun(db, sampleRun('same', [1, 2]))).toBe(true);
    expect(saveRun(db, sampleRun('same', [5, 6]))).toBe(false);
    expect(db.prepare('SELECT count(*) AS n FROM measurement').get()).toEqual({ n: 2 });
    db.close();
  });

  it('are written whole or not at all', () => {
    const db = openStore(join(tempDir(), 'h.db'));
    const broken = sampleRun('broken', [1, 2]);
    (broken.benchmarks[0]!.measurements[1] as { state: string }).state = 'exploded'; // violates a CHECK
    expect(() => saveRun(db, broken)).toThrow();
    expect(db.prepare('SELECT count(*) AS n FROM run').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM measurement').get()).toEqual({ n: 0 });
    db.close();
  });

  it('give the history of a benchmark on one testbed, newest first', () => {
    const db = openStore(join(tempDir(), 'h.db'));
    saveRun(db, sampleRun('a', [1, 1]));
    saveRun(db, sampleRun('b', [2, 2]));
    const other = sampleRun('c', [3, 3]);
    other.testbed = { ...other.testbed, key: 'tb2' };
    saveRun(db, other);
    const h = historyFor(db, {
      project: 'demo',
      testbedKey: 'tb1',
      benchmark: 'k/impl/fx',
      fixtureChecksum: 'ff00',
      limit: 10,
    });
    expect(h).toEqual([
      { runId: 'b', medians: [2, 2], values: {} },
      { runId: 'a', medians: [1, 1], values: {} },
    ]);
    expect(
      historyFor(db, {
        project: 'demo',
        testbedKey: 'tb1',
        benchmark: 'k/impl/fx',
        fixtureChecksum: 'other',
        limit: 10,
      }),
    ).toEqual([]);
    db.close();
  });

  it('give the history past runs without the benchmark, up to the limit, skipping runs where it never completed', () => {
    const db = openStore(join(tempDir(), 'h.db'));
    saveRun(db, sampleRun('a', [1, 1]));
    saveRun(db, sampleRun('b', [2, 2]));
    saveRun(db, sampleRun('c', [3, 3]));
    saveRun(db, sampleRun('d', [9, 9], 'k/impl/other'));
    const errored = sampleRun('e', [4, 4]);
    errored.benchmarks[0]?.measurements.forEach((m) => (m.state = 'errored'));
    saveRun(db, errored);
    const h = historyFor(db, {
      project: 'demo',
      testbedKey: 'tb1',
      benchmark: 'k/impl/fx',
      fixtureChecksum: 'ff00',
      limit: 2,
    });
    expect(h).toEqual([
      { runId: 'c', medians: [3, 3], values: {} },
      { runId: 'b', medians: [2, 2], values: {} },
    ]);
    db.close();
  });
});

describe('migrations 4 and 5', () => {
  it('leave no index keyed by benchmark on the per-run tables, so a run dirties no leaf per benchmark', () => {
    const db = openStore(join(tempDir(), 'h.db'));
    const byBenchmark = (
      db
        .prepare(
          "SELECT name FROM pragma_index_list('result') UNION ALL SELECT name FROM pragma_index_list('measurement') UNION ALL SELECT name FROM pragma_index_list('verdict')",
        )
        .pluck()
        .all() as string[]
    ).sort();
    expect(byBenchmark).toEqual(['measurement_by_run', 'sqlite_autoindex_result_1', 'sqlite_autoindex_verdict_1']);
    db.close();
  });
});

describe('series', () => {
  it('have a point for each history run of the branch that has the benchmark, and follow new runs', () => {
    const db = openStore(join(tempDir(), 'h.db'));
    saveRun(db, sampleRun('a', [1, 1]));
    saveRun(db, sampleRun('b', [2, 2]));
    saveRun(db, sampleRun('c', [9, 9], 'k/impl/other'));
    const feature = sampleRun('f', [7, 7]);
    feature.head = { ...feature.head, ref: 'feature' };
    saveRun(db, feature);
    const key = { projectId: 1, testbedId: 1, benchmarkId: 1, branch: 'main' };
    expect(seriesColumns(db, key).runId).toEqual(['a', 'b']);
    saveRun(db, sampleRun('d', [4, 4]));
    const c = seriesColumns(db, key);
    expect(c.runId).toEqual(['a', 'b', 'd']);
    expect(c.medianSeconds).toEqual([1, 2, 4]);
    expect(c.message).toEqual(['a "quoted" <msg>', 'a "quoted" <msg>', 'a "quoted" <msg>']);
    expect(seriesPoints(db, key)[2]).toEqual({
      runId: 'd',
      sha: 'abc123',
      message: 'a "quoted" <msg>',
      committedAt: '2026-11-20T09:00:00Z',
      startedAt: '2026-11-21T10:00:00.000Z',
      state: 'completed',
      medianSeconds: 4,
    });
    expect(seriesColumns(db, { ...key, benchmarkId: 2 }).runId).toEqual(['c']);
    db.close();
  });
});

describe('ingestion digests', () => {
  it('tell a retry from a conflicting re-use of the id, whatever the key order, and accept digests stored before migration 4', () => {
    const db = openStore(join(tempDir(), 'h.db'));
    const run = validateRun(JSON.parse(JSON.stringify(sampleRun('r1', [1, 2]))));
    expect(ingestRun(db, run, 'main').status).toBe('stored');
    // The same run with every object's keys in reverse alphabetical order.
    const reordered = JSON.parse(JSON.stringify(sampleRun('r1', [1, 2]), allKeys(run))) as unknown;
    expect(ingestRun(db, validateRun(reordered), 'main').status).toBe('duplicate');
    expect(ingestRun(db, validateRun(JSON.parse(JSON.stringify(sampleRun('r1', [1, 3])))), 'main').status).toBe(
      'conflict',
    );
    for (const older of [legacyReportDigest, jsonReportDigest]) {
      db.prepare('UPDATE run_digest SET sha256 = ? WHERE run_id = ?').run(older(run), 'r1');
      expect(ingestRun(db, run, 'main').status).toBe('duplicate');
      expect(ingestRun(db, validateRun(JSON.parse(JSON.stringify(sampleRun('r1', [1, 3])))), 'main').status).toBe(
        'conflict',
      );
    }
    db.close();
  });

  it('change when any one field of the validated report changes (every leaf is covered)', () => {
    const full = sampleRun('r1', [1, 2]) as unknown as Record<string, unknown>;
    Object.assign(full, {
      base: { sha: 'def456', ref: 'main', dirty: true, message: 'base', committedAt: '2026-11-19T09:00:00Z' },
    });
    Object.assign(full.summary as object, { added: 1, removed: 0 });
    Object.assign((full.benchmarks as Record<string, unknown>[])[0] as object, { presence: 'both' });
    const base = validateRun(JSON.parse(JSON.stringify(full)));
    const digest = reportDigest(base);
    // Every leaf path of the validated report (free-form objects count as one leaf each).
    const leaves: (string | number)[][] = [];
    const walk = (v: unknown, path: (string | number)[]): void => {
      const freeForm = path.at(-1) === 'settings' || path.at(-1) === 'details';
      if (v !== null && typeof v === 'object' && !freeForm) {
        for (const [k, x] of Object.entries(v)) walk(x, [...path, Array.isArray(v) ? Number(k) : k]);
      } else leaves.push(path);
    };
    walk(base, []);
    expect(leaves.length).toBeGreaterThan(60);
    const changed = (v: unknown, path: (string | number)[]): unknown =>
      path.at(-1) === 'schema'
        ? 'other'
        : typeof v === 'string'
          ? `${v}x`
          : typeof v === 'number'
            ? v + 1
            : typeof v === 'boolean'
              ? !v
              : v === null
                ? 7
                : { ...(v as object), extra: 1 };
    for (const path of leaves) {
      const copy = structuredClone(base) as unknown as Record<string | number, unknown>;
      let parent = copy;
      for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
      const last = path.at(-1) as string | number;
      parent[last] = changed(parent[last], path);
      expect(reportDigest(copy as unknown as typeof base), path.join('.')).not.toBe(digest);
    }
    // Where a value sits matters, not only the values: swapping two measurements' medians changes it.
    const swapped = structuredClone(base);
    const ms = swapped.benchmarks[0]?.measurements ?? [];
    [ms[0]!.medianSeconds, ms[1]!.medianSeconds] = [ms[1]!.medianSeconds, ms[0]!.medianSeconds];
    expect(reportDigest(swapped)).not.toBe(digest);
    // -0 is 0, as it is once the report has been through JSON.
    const negativeZero = structuredClone(base);
    negativeZero.benchmarks[0]!.verdict!.changePct = 0;
    const plainZero = structuredClone(negativeZero);
    negativeZero.benchmarks[0]!.verdict!.changePct = -0;
    expect(reportDigest(negativeZero)).toBe(reportDigest(plainZero));
  });
});

function allKeys(v: unknown): string[] {
  const out = new Set<string>();
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x !== null && typeof x === 'object') {
      for (const [k, y] of Object.entries(x)) {
        out.add(k);
        walk(y);
      }
    }
  };
  walk(v);
  return [...out].sort().reverse();
}
