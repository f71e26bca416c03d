/** Migration 10: a regression's differential profiles survive the store. */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../../src/model.js';
import { ingestRun } from '../../../src/server/ingest/ingest.js';
import { migrate } from '../../../src/store/migrate.js';
import { openStore } from '../../../src/store/open.js';
import { loadRun, saveRun } from '../../../src/store/runs.js';
import { validateRun } from '../../../src/validate/run.js';
import { tempDir } from '../../helpers.js';
import { PROFILED, profiledRun } from '../../fixtures/store/profiled-run.js';
import { sampleRun } from '../../fixtures/store/sample-run.js';

const byName = (r: RunReport) => [...r.benchmarks].sort((a, b) => a.name.localeCompare(b.name));

describe('differential profiles in the store', () => {
  it('keeps a regression’s CPU and count profiles through a save and load, and adds none elsewhere', () => {
    const db = openStore(join(tempDir(), 'p.db'));
    const run = profiledRun();
    expect(saveRun(db, run)).toBe(true);
    const back = loadRun(db, run.id)!;
    expect(back.benchmarks).toEqual(byName(run));
    const profiled = back.benchmarks.find((b) => b.name === PROFILED)!;
    expect(profiled.profile?.top[0]?.function).toBe('integrateRange');
    expect(profiled.countProfile?.unit).toBe('bytes');
    for (const b of back.benchmarks.filter((b) => b.name !== PROFILED)) {
      expect(b).not.toHaveProperty('profile');
      expect(b).not.toHaveProperty('countProfile');
    }
    db.close();
  });

  it('keeps them when a report posted to the service is validated and ingested', () => {
    const db = openStore(join(tempDir(), 'p.db'));
    const posted = validateRun(JSON.parse(JSON.stringify(profiledRun('posted-1'))));
    expect(ingestRun(db, posted, 'main').status).toBe('stored');
    expect(loadRun(db, 'posted-1')?.benchmarks).toEqual(byName(posted));
    // A retry of the same report stores nothing twice.
    expect(ingestRun(db, posted, 'main').status).toBe('duplicate');
    expect(db.prepare('SELECT count(*) AS n FROM result_profile').get()).toEqual({ n: 1 });
    db.close();
  });

  it('stores a count profile alone, and a profile with a note and no functions', () => {
    const db = openStore(join(tempDir(), 'p.db'));
    const run = profiledRun('partial');
    const [first, second] = run.benchmarks as [RunReport['benchmarks'][number], RunReport['benchmarks'][number]];
    const { profile: _cpu, ...countOnly } = first;
    const noted = { ...second, profile: { top: [], files: null, seconds: 0, note: 'the profiling budget was spent' } };
    const partial = { ...run, benchmarks: [countOnly, noted, ...run.benchmarks.slice(2)] };
    saveRun(db, partial);
    expect(loadRun(db, 'partial')?.benchmarks).toEqual(byName(partial));
    db.close();
  });

  it('migrates a version-9 store: its runs read as unprofiled, and later runs keep their profiles', () => {
    const db = new Database(':memory:');
    migrate(db, 9);
    expect(saveRun(db, sampleRun('before', [1e-3]))).toBe(true);
    expect(migrate(db)).toBeGreaterThanOrEqual(10);
    expect(loadRun(db, 'before')?.benchmarks).toEqual(sampleRun('before', [1e-3]).benchmarks);
    expect(saveRun(db, profiledRun('after'))).toBe(true);
    expect(loadRun(db, 'after')?.benchmarks.find((b) => b.name === PROFILED)?.profile?.files?.head).toBe(
      'benchgate-profiles/ode-ensemble/ts-soa/s256/head.cpuprofile',
    );
    db.close();
  });
});
