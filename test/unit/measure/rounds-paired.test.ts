// The round scheduler with real worker processes (the built dist/, as `npm test` builds it first).
import type { Isolation } from '../../../src/model.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type * as Rounds from '../../../src/measure/rounds.js';
import type { RoundPlan } from '../../../src/measure/rounds.js';
import { ROOT, tempDir } from '../../helpers.js';

// The compiled module, so that its workers are the compiled worker.js.
const { measureRound } = (await import(
  pathToFileURL(join(ROOT, 'dist', 'src', 'measure', 'rounds.js')).href
)) as typeof Rounds;

const SUITE = join(ROOT, 'test', 'fixtures', 'suites', 'pid-suite.mjs');
const log = join(tempDir(), 'pids.log');
const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

function plan(isolation: Isolation, names = ['pid/a/x', 'pid/b/x']): RoundPlan {
  return {
    sides: [
      { side: 'base', suite: SUITE, cwd: ROOT },
      { side: 'head', suite: SUITE, cwd: ROOT },
    ],
    names,
    profile: 'quick',
    taskTimeMs: 20,
    minIterations: 3,
    timeoutMs: 60_000,
    isolation,
  };
}

/** The setups each process ran: pid → module URLs. */
function processes(): Map<string, string[]> {
  const byPid = new Map<string, string[]>();
  for (const line of readFileSync(log, 'utf8').trim().split('\n')) {
    const [pid, url] = line.split(' ') as [string, string];
    byPid.set(pid, [...(byPid.get(pid) ?? []), url]);
  }
  return byPid;
}

describe('measureRound', () => {
  it('paired: one process for the round holds both sides of every benchmark, as two instances of the suite', async () => {
    writeFileSync(log, '');
    process.env.PID_LOG = log;
    const out = await measureRound(plan('paired'), 7);
    expect(out.map((m) => `${m.name} ${m.side} ${m.state} ${m.round}`).sort()).toEqual([
      'pid/a/x base completed 7',
      'pid/a/x head completed 7',
      'pid/b/x base completed 7',
      'pid/b/x head completed 7',
    ]);
    for (const m of out) expect(m.samples).toBeGreaterThanOrEqual(3);
    // The head side carries the pair's ratio taken block by block; the base side does not.
    for (const m of out)
      if (m.side === 'head') expect(Number.isFinite(m.blockLogRatio)).toBe(true);
      else expect(m.blockLogRatio).toBeUndefined();
    const procs = [...processes().values()];
    expect(procs).toHaveLength(1);
    // Four setups in the one process, from two instances of the module (one with ?side=).
    expect(procs[0]).toHaveLength(4);
    expect(new Set(procs[0]).size).toBe(2);
  });

  it('paired: the two suites are loaded in random order, so neither side is always the one loaded first', async () => {
    const loads = join(tempDir(), 'loads.log');
    writeFileSync(loads, '');
    writeFileSync(log, '');
    process.env.PID_LOG = log;
    process.env.PID_LOAD_LOG = loads;
    for (let round = 1; round <= 16; round++)
      await measureRound({ ...plan('paired', ['pid/a/x']), taskTimeMs: 2 }, round);
    const firstByPid = new Map<string, string>();
    for (const line of readFileSync(loads, 'utf8').trim().split('\n')) {
      const [pid, url] = line.split(' ') as [string, string];
      if (!firstByPid.has(pid)) firstByPid.set(pid, url.includes('?side=') ? 'head' : 'base');
    }
    expect(firstByPid.size).toBe(16);
    // Both orders among 16 processes; a fixed order fails this, a fair coin only with p = 2⁻¹⁵.
    expect(new Set(firstByPid.values())).toEqual(new Set(['base', 'head']));
  });

  it('process: one process per benchmark and side', async () => {
    writeFileSync(log, '');
    process.env.PID_LOG = log;
    const out = await measureRound(plan('process'), 1);
    expect(out).toHaveLength(4);
    expect([...processes().values()].every((urls) => urls.length === 1)).toBe(true);
    expect(processes().size).toBe(4);
  });

  it('a benchmark that hangs in a paired process is errored on both sides; the others are measured in a new process', async () => {
    writeFileSync(log, '');
    process.env.PID_LOG = log;
    process.env.PID_HANG = '1';
    // Whatever the random order, the benchmarks after the hang still get measured.
    const out = await measureRound({ ...plan('paired', ['pid/a/x', 'pid/hang/x', 'pid/b/x']), timeoutMs: 1500 }, 1);
    const hang = out.filter((m) => m.name === 'pid/hang/x');
    expect(hang.map((m) => m.side).sort()).toEqual(['base', 'head']);
    for (const m of hang) expect(m).toMatchObject({ state: 'errored', reason: 'timed out after 2 s' });
    expect(out.filter((m) => m.name !== 'pid/hang/x' && m.state === 'completed')).toHaveLength(4);
  });

  it('measures a benchmark only one side has alone, in a process of its own', async () => {
    writeFileSync(log, '');
    process.env.PID_LOG = log;
    const p = plan('paired');
    p.sides[1]!.names = ['pid/a/x'];
    const out = await measureRound(p, 1);
    expect(out.filter((m) => m.name === 'pid/b/x').map((m) => m.side)).toEqual(['base']);
    expect(out.filter((m) => m.name === 'pid/a/x')).toHaveLength(2);
    expect([...processes().values()].map((urls) => urls.length).sort()).toEqual([1, 2]);
  });
});
