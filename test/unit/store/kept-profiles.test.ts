/** Migration 11: the profiles history runs keep, and the latest one kept before a run. */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  countsToKeep,
  functionsToKeep,
  latestKeptCountProfile,
  parseKeptCounts,
  KeptProfileError,
  latestKeptProfile,
  MAX_KEPT_FUNCTIONS,
  parseKeptFunctions,
  type KeptFunction,
} from '../../../src/store/kept-profiles.js';
import type { RunReport } from '../../../src/model.js';
import { migrate } from '../../../src/store/migrate.js';
import { openStore } from '../../../src/store/open.js';
import { loadRun, saveRun } from '../../../src/store/runs.js';
import { tempDir } from '../../helpers.js';
import { sampleRun } from '../../fixtures/store/sample-run.js';

const query = { project: 'demo', testbedKey: 'tb1', benchmark: 'k/impl/fx', fixtureChecksum: 'ff00' };

/** `run` with its first benchmark carrying a kept profile. */
const keeping = (run: RunReport, calls: number, functions: KeptFunction[]): RunReport => ({
  ...run,
  benchmarks: run.benchmarks.map((b, i) => (i === 0 ? { ...b, keptProfile: { calls, functions } } : b)),
});

const fn = (name: string, msPerCall: number, line = 1): KeptFunction => ({
  function: name,
  file: 'suite.mjs',
  line,
  msPerCall,
});

describe('kept profiles', () => {
  it('keeps a run’s functions in a real SQLite file and finds the latest kept one of the testbed', () => {
    const path = join(tempDir(), 'k.db');
    const db = openStore(path);
    const second = keeping(sampleRun('r2', [1e-3]), 100, [fn('own', 0.5, 4), fn('leaf', 4, 2)]);
    const unkept = sampleRun('r3', [1e-3]);
    expect(latestKeptProfile(db, query)).toBeNull();
    expect(saveRun(db, keeping(sampleRun('r1', [1e-3]), 100, [fn('own', 0.5, 4), fn('leaf', 2, 2)]))).toBe(true);
    expect(saveRun(db, second)).toBe(true);
    saveRun(db, unkept);
    db.close();

    const again = openStore(path);
    // The latest run that kept one (r3 kept none), largest self time first.
    expect(latestKeptProfile(again, query)).toEqual({
      runId: 'r2',
      sha: 'abc123',
      startedAt: '2026-11-21T10:00:00.000Z',
      calls: 100,
      functions: [fn('leaf', 4, 2), fn('own', 0.5, 4)],
    });
    // Another testbed, project or fixture has none.
    expect(latestKeptProfile(again, { ...query, testbedKey: 'other' })).toBeNull();
    expect(latestKeptProfile(again, { ...query, project: 'other' })).toBeNull();
    expect(latestKeptProfile(again, { ...query, fixtureChecksum: 'other' })).toBeNull();
    // Storing the same run again changes nothing.
    expect(saveRun(again, keeping(second, 1, []))).toBe(false);
    expect(again.prepare('SELECT count(*) AS n FROM kept_profile').get()).toEqual({ n: 2 });
    // The run read back carries its kept profile, largest first; the run file written from it does too.
    expect(loadRun(again, 'r2')?.benchmarks[0]?.keptProfile).toEqual({
      calls: 100,
      functions: [fn('leaf', 4, 2), fn('own', 0.5, 4)],
    });
    expect(loadRun(again, 'r3')?.benchmarks[0]?.keptProfile).toBeUndefined();
    again.close();
  });

  it('keeps the largest functions only: at most 100, none under 0.1% of the total', () => {
    const many = Array.from({ length: 150 }, (_, i) => fn(`f${i}`, 1, i + 1));
    expect(functionsToKeep(many)).toHaveLength(MAX_KEPT_FUNCTIONS);
    const kept = functionsToKeep([fn('tiny', 0.0001), fn('big', 10), fn('zero', 0)]);
    expect(kept.map((f) => f.function)).toEqual(['big']);
  });

  it('refuses a stored profile that is not what it writes, naming the run, and loses nothing', () => {
    const db = openStore(join(tempDir(), 'bad.db'));
    saveRun(db, keeping(sampleRun('bad', [1e-3]), 5, [fn('leaf', 1)]));
    db.prepare('UPDATE kept_profile SET functions_json = ?').run('[["leaf", "suite.mjs", -1, 1]]');
    expect(() => latestKeptProfile(db, query)).toThrow(KeptProfileError);
    expect(() => latestKeptProfile(db, query)).toThrow(/kept by run bad: function 0 must be/);
    expect(db.prepare('SELECT count(*) AS n FROM run').get()).toEqual({ n: 1 });
    db.close();
    for (const bad of ['{', '{}', '[1]', '[["f", "x", 1]]', '[["f", "x", 1, "fast"]]']) {
      expect(() => parseKeptFunctions(bad, 'the profile')).toThrow(/^the profile/);
    }
    expect(parseKeptFunctions('[["f", "", 0, 0.25]]', 'p')).toEqual([
      { function: 'f', file: '', line: 0, msPerCall: 0.25 },
    ]);
  });

  it('keeps count profiles beside self times, found by their unit', () => {
    const path = join(tempDir(), 'c.db');
    const db = openStore(path);
    const counts = {
      unit: 'instructions' as const,
      profiler: 'callgrind',
      calls: 1,
      functions: [
        { function: 'main', file: 'leaf.c', line: 9, perCall: 100 },
        { function: 'leaf', file: 'leaf.c', line: 3, perCall: 1200.456 },
      ],
    };
    const run = sampleRun('c1', [1e-3]);
    saveRun(db, {
      ...run,
      benchmarks: run.benchmarks.map((b, i) => (i === 0 ? { ...b, keptCountProfile: counts } : b)),
    });
    expect(latestKeptCountProfile(db, { ...query, unit: 'bytes' })).toBeNull();
    expect(latestKeptProfile(db, query)).toBeNull();
    const found = latestKeptCountProfile(db, { ...query, unit: 'instructions' });
    // Largest first, to a hundredth.
    expect(found).toMatchObject({ runId: 'c1', unit: 'instructions', profiler: 'callgrind', calls: 1 });
    expect(found?.functions.map((f) => [f.function, f.perCall])).toEqual([
      ['leaf', 1200.46],
      ['main', 100],
    ]);
    expect(loadRun(db, 'c1')?.benchmarks[0]?.keptCountProfile).toEqual({
      ...counts,
      functions: countsToKeep(counts.functions),
    });
    db.prepare('UPDATE kept_count_profile SET functions_json = ?').run('[["leaf", "leaf.c", 3, -5]]');
    expect(() => latestKeptCountProfile(db, { ...query, unit: 'instructions' })).toThrow(
      /instructions profile of k\/impl\/fx kept by run c1: function 0 must be \[name, file, line ≥ 0, count per call ≥ 0\]/,
    );
    expect(() => parseKeptCounts('{', 'p')).toThrow(/^p is not JSON/);
    db.close();
  });

  it('migrates a version-10 store: its runs have no kept profiles, later runs keep theirs', () => {
    const db = new Database(':memory:');
    migrate(db, 10);
    const before = sampleRun('before', [1e-3]);
    expect(saveRun(db, before)).toBe(true);
    migrate(db);
    expect(latestKeptProfile(db, query)).toBeNull();
    saveRun(db, keeping(sampleRun('after', [1e-3]), 3, [fn('leaf', 1)]));
    expect(latestKeptProfile(db, query)?.runId).toBe('after');
    db.close();
  });
});
