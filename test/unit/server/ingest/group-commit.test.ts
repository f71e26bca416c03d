import Database from 'better-sqlite3';
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../../../src/model.js';
import { GroupCommit, ingestBatch } from '../../../../src/server/ingest/group-commit.js';
import { openStore } from '../../../../src/store/open.js';
import { loadRun } from '../../../../src/store/runs.js';
import { validateRun } from '../../../../src/validate/run.js';
import { tempDir } from '../../../helpers.js';
import { sampleRun } from '../../../fixtures/store/sample-run.js';

const run = (id: string, medians = [1, 2]): RunReport =>
  validateRun(JSON.parse(JSON.stringify(sampleRun(id, medians))));
const count = (db: Database.Database, sql: string, ...args: unknown[]): number =>
  db
    .prepare(sql)
    .pluck()
    .get(...args) as number;

describe('ingestBatch (one transaction, a savepoint per run)', () => {
  it('stores the good runs of a batch atomically and idempotently, and a failing run alone rolls back', () => {
    const db = openStore(join(tempDir(), 'h.db'));
    const broken = run('bad');
    // A state the table's CHECK refuses: the run fails half-way through its rows.
    (broken.benchmarks[0] as { state: string }).state = 'exploded';
    const outcomes = ingestBatch(db, [run('a'), broken, run('b'), run('a'), run('a', [1, 3])], 'main');
    expect(outcomes.map((o) => (o instanceof Error ? 'error' : o.status))).toEqual([
      'stored',
      'error',
      'stored',
      'duplicate',
      'conflict',
    ]);
    expect((outcomes[1] as Error).message).toMatch(/CHECK constraint/);
    expect(db.prepare('SELECT id FROM run ORDER BY id').pluck().all()).toEqual(['a', 'b']);
    for (const table of ['result', 'measurement', 'verdict', 'run_digest', 'series_pending']) {
      expect(count(db, `SELECT count(*) FROM ${table} WHERE run_id = 'bad'`), table).toBe(0);
    }
    expect(loadRun(db, 'a')?.benchmarks[0]?.measurements.map((m) => m.medianSeconds)).toEqual([1, 2]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // Posting the batch again changes nothing.
    expect(ingestBatch(db, [run('a'), run('b')], 'main').map((o) => (o instanceof Error ? 'error' : o.status))).toEqual(
      ['duplicate', 'duplicate'],
    );
    expect(count(db, 'SELECT count(*) FROM result')).toBe(2);
    db.close();
  });
});

describe('GroupCommit', () => {
  it('stores the runs submitted in one turn in one transaction and answers each after the commit', async () => {
    const db = openStore(join(tempDir(), 'h.db'));
    const group = new GroupCommit(db, 'main');
    const answers = await Promise.all([group.submit(run('a')), group.submit(run('b')), group.submit(run('a'))]);
    expect(answers.map((o) => o.status)).toEqual(['stored', 'stored', 'duplicate']);
    expect(group.stats).toEqual({ commits: 1, runs: 3, arriving: 0 });
    group.close();
    await expect(group.submit(run('c'))).rejects.toThrow(/closing/);
    db.close();
  });

  it('holds a commit while another upload is arriving, for at most its wait', async () => {
    const db = openStore(join(tempDir(), 'h.db'));
    const group = new GroupCommit(db, 'main', 16, 50);
    group.begin();
    group.begin();
    const first = group.submit(run('a'));
    group.end(); // the first upload is queued; the second is still arriving
    await tick();
    await tick();
    expect(group.stats.commits).toBe(0);
    const second = group.submit(run('b'));
    group.end();
    await Promise.all([first, second]);
    expect(group.stats).toEqual({ commits: 1, runs: 2, arriving: 0 });
    // An upload that never finishes arriving holds a queued run back no longer than the wait.
    group.begin();
    group.begin();
    const t = performance.now();
    const third = group.submit(run('c'));
    group.end();
    expect((await third).status).toBe('stored');
    expect(performance.now() - t).toBeGreaterThanOrEqual(45);
    group.end();
    db.close();
  });

  it('fails every run of a batch whose transaction cannot be written, stores none, and takes them again later', async () => {
    const path = join(tempDir(), 'h.db');
    const db = openStore(path);
    db.pragma('busy_timeout = 0');
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE'); // another writer holds the lock
    const group = new GroupCommit(db, 'main');
    const answers = await Promise.allSettled([group.submit(run('a')), group.submit(run('b'))]);
    expect(answers.map((a) => a.status)).toEqual(['rejected', 'rejected']);
    expect(String((answers[0] as PromiseRejectedResult).reason)).toMatch(/locked|busy/i);
    other.exec('ROLLBACK');
    other.close();
    expect(count(db, 'SELECT count(*) FROM run')).toBe(0);
    const again = await Promise.all([group.submit(run('a')), group.submit(run('b'))]);
    expect(again.map((o) => o.status)).toEqual(['stored', 'stored']);
    db.close();
  });
});
