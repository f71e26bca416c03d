/**
 * Heap profiles in history mode end to end: `benchgate run` on a git repository made here, into
 * real SQLite files, with `allocated` gating and time not. A run with `keep-profiles` keeps the
 * bytes each function allocates per call of the benchmark whose memory gates (and only of that
 * one); the next commit doubles the rows a function two calls deep allocates, and its run's
 * `allocated` regression carries a differential, against the kept heap profile, that names that
 * function first. Against a history that kept none, the regression says so and names the head's
 * top allocating function. The `.heapprofile` written beside the reports is what DevTools loads.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/model.js';
import { HEAP_PROFILER } from '../../src/profile/profile-pass.js';
import { copyDb, dbRows, runReport, tempDir } from '../helpers.js';

/**
 * `alloc`: kernel → middle → makeRows (`rows` objects and strings a call) beside ownRows, and a
 * millisecond of arithmetic that keeps the calls few (as test/integration/profile-heap.test.ts);
 * `steady` allocates little.
 */
const suiteSource = (rows: number) => `
function makeRows(n) { const out = []; for (let i = 0; i < n; i++) out.push({ i, s: 'row' + i }); return out; }
function middle(n) { return makeRows(n).length; }
function ownRows() { const out = []; for (let i = 0; i < 3000; i++) out.push([i, i + 1]); return out.length; }
function spin() { let x = 0; for (let i = 0; i < 300000; i++) x += Math.sqrt(i); return x; }
function kernel() { return middle(${rows}) + ownRows() + spin(); }
function steady() { let y = 0; for (let i = 0; i < 20000; i++) y += Math.cbrt(i); return y; }
export default {
  name: 'alloc',
  cases: () => [
    { kernel: 'alloc', implementation: 'js', fixture: 'small', fixtureChecksum: 'c1', work: { flops: null, bytes: null }, setup: () => ({ run: kernel }) },
    { kernel: 'steady', implementation: 'js', fixture: 'small', fixtureChecksum: 'c1', work: { flops: null, bytes: null }, setup: () => ({ run: steady }) },
  ],
};
`;

const work = tempDir('benchgate-run-heap-profiles-');
const repo = join(work, 'repo');
const BUDGET_SECONDS = 20;
/** Earlier runs before the one that keeps profiles: the history verdict needs 3. */
const EARLIER_RUNS = 3;
const ALLOC = 'alloc/js/small';
const STEADY = 'steady/js/small';
const HEAP_FILE = 'benchgate-profiles/alloc/js/small/head.heapprofile';

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function commit(name: string, rows: number): string {
  writeFileSync(join(repo, 'suite.mjs'), suiteSource(rows));
  git('add', '-A');
  git('commit', '-q', '-m', name);
  return git('rev-parse', 'HEAD');
}

/** `benchgate run` of the checkout into `db` with config file `config`, reports under `out`. */
async function run(
  db: string,
  config: string,
  out: string,
): Promise<{ code: number | null; report: RunReport; stderr: string }> {
  return runReport(
    [
      'run',
      '--suite',
      'suite.mjs',
      '--rounds',
      '3',
      '--time-budget',
      '0.3',
      '--db',
      db,
      '--config',
      join(work, config),
      '--report-json',
      join(out, 'report.json'),
      '--report-markdown',
      join(out, 'report.md'),
      '--json',
    ],
    { cwd: repo },
  );
}

/** A node of a `.heapprofile` as DevTools reads it. */
interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

/** The function names of a `.heapprofile` under `out`, checking its shape on the way. */
function heapProfileNames(out: string): string[] {
  const file = JSON.parse(readFileSync(join(out, HEAP_FILE), 'utf8')) as { head: HeapNode };
  expect(file.head.callFrame.functionName).toBe('(root)');
  const names: string[] = [];
  const walk = (n: HeapNode) => {
    expect(typeof n.selfSize).toBe('number');
    names.push(n.callFrame.functionName);
    n.children.forEach(walk);
  };
  walk(file.head);
  return names;
}

interface Profiling {
  budgetSeconds: number;
  seconds: number;
  profiled: string[];
  notProfiled: { name: string; reason: string }[];
}

const kept = join(work, 'kept.db');
const plain = join(work, 'plain.db');
const sha: Record<string, string> = {};
let keptRun: RunReport;

beforeAll(async () => {
  mkdirSync(repo, { recursive: true });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'test');
  git('config', 'commit.gpgsign', 'false');
  sha.base = commit('base', 4000);
  const settings = {
    'profile-budget': BUDGET_SECONDS,
    // Only allocations gate, and not steady's: only alloc's heap profile is kept or taken.
    measures: { time: { gate: false }, allocated: { gate: true, threshold: '20%' } },
    benchmarks: { 'steady/*': { measures: { allocated: { gate: false } } } },
  };
  writeFileSync(join(work, 'keep.json'), JSON.stringify({ ...settings, 'keep-profiles': true }));
  writeFileSync(join(work, 'plain.json'), JSON.stringify(settings));
  writeFileSync(join(work, 'tight.json'), JSON.stringify({ ...settings, 'keep-profiles': true, 'profile-budget': 2 }));
  for (let i = 0; i < EARLIER_RUNS; i++) {
    const r = await run(kept, 'plain.json', join(work, `earlier-${i}`));
    expect(r.code, r.stderr).toBe(0);
    expect(r.report.settings.profiling, 'nothing to profile without a regression or keep-profiles').toBeUndefined();
  }
  copyDb(kept, plain);
}, 180_000);

describe('benchgate run: heap profiles of memory regressions', () => {
  it('keeps the bytes allocated per call of the benchmark whose memory gates, after the CPU profiles', async () => {
    const out = join(work, 'keep');
    const r = await run(kept, 'keep.json', out);
    keptRun = r.report;
    expect(r.code, r.stderr).toBe(0);
    const profiling = r.report.settings.profiling as Profiling;
    // steady once its CPU profile is taken; alloc once its heap profile is too.
    expect(profiling).toMatchObject({ budgetSeconds: BUDGET_SECONDS, profiled: [STEADY, ALLOC], notProfiled: [] });
    expect(profiling.seconds).toBeLessThanOrEqual(BUDGET_SECONDS);
    expect(r.report.settings).toMatchObject({ keptProfiles: 2, keptCountProfiles: 1 });
    expect(r.stderr.indexOf(`heap-profiling ${ALLOC}`)).toBeGreaterThan(r.stderr.lastIndexOf('profiling steady'));
    const alloc = r.report.benchmarks.find((b) => b.name === ALLOC);
    expect(alloc?.keptProfile?.functions.length).toBeGreaterThan(0);
    expect(alloc?.keptCountProfile).toMatchObject({ unit: 'bytes', profiler: HEAP_PROFILER });
    expect(alloc?.keptCountProfile?.functions[0]).toMatchObject({ function: 'makeRows', file: 'suite.mjs', line: 2 });
    expect(alloc?.keptCountProfile?.calls).toBeGreaterThanOrEqual(3);
    const steady = r.report.benchmarks.find((b) => b.name === STEADY);
    expect(steady?.keptProfile).toBeDefined();
    expect(steady?.keptCountProfile).toBeUndefined();
    // Stored with the run: alloc's bytes per function, largest first, small.
    const stored = dbRows(
      kept,
      `SELECT b.name, k.unit, k.profiler, k.calls, k.functions_json FROM kept_count_profile k
       JOIN benchmark b ON b.id = k.benchmark_id WHERE k.run_id = ?`,
      r.report.id,
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ name: ALLOC, unit: 'bytes', profiler: HEAP_PROFILER });
    const functions = JSON.parse(stored[0]?.functions_json as string) as [string, string, number, number][];
    expect(functions[0]?.slice(0, 3)).toEqual(['makeRows', 'suite.mjs', 2]);
    // 4,000 objects and strings a call: some 200 kB or more.
    expect(functions[0]?.[3]).toBeGreaterThan(100_000);
    expect((stored[0]?.functions_json as string).length).toBeLessThan(4096);
    expect(heapProfileNames(out)).toContain('makeRows');
    expect(existsSync(join(out, 'benchgate-profiles/alloc/js/small/head.cpuprofile'))).toBe(true);
  }, 120_000);

  it('compares a later allocated regression with the kept heap profile: the function allocating twice as much comes first', async () => {
    sha.more = commit('twice the rows', 8000);
    const out = join(work, 'more-kept');
    const r = await run(kept, 'plain.json', out);
    expect(r.code, r.stderr).toBe(1);
    const alloc = r.report.benchmarks.find((b) => b.name === ALLOC);
    const allocated = alloc?.measures.find((m) => m.measure === 'allocated');
    expect(allocated?.verdict?.kind, allocated?.verdict?.reason).toBe('regressed');
    // Time does not gate: no CPU profile, only the heap one.
    expect(alloc?.profile).toBeUndefined();
    const heap = alloc?.countProfile;
    expect(heap).toMatchObject({ unit: 'bytes', profiler: HEAP_PROFILER, files: null });
    expect(heap?.note).toBe(
      `compared with the profile kept by run ${keptRun.id} (commit ${sha.base?.slice(0, 7)}, ${keptRun.startedAt.slice(0, 10)}); this run's profile: ${HEAP_FILE}`,
    );
    expect(heap?.top[0]).toMatchObject({ function: 'makeRows', file: 'suite.mjs', line: 2 });
    const first = heap!.top[0]!;
    expect(first.headPerCall).toBeGreaterThan(1.5 * first.basePerCall);
    expect(first.deltaPerCall).toBeGreaterThan(50_000);
    expect(heap!.top.slice(1).every((l) => l.deltaPerCall < first.deltaPerCall / 3)).toBe(true);
    expect(heapProfileNames(out)).toContain('makeRows');
    expect(r.report.benchmarks.find((b) => b.name === STEADY)?.countProfile).toBeUndefined();
    const profiling = r.report.settings.profiling as Profiling;
    expect(profiling).toMatchObject({ profiled: [ALLOC], notProfiled: [] });
    expect(profiling.seconds).toBeLessThanOrEqual(BUDGET_SECONDS);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toMatch(/\n {2}- \+[0-9.]+ kB\/call allocated in `makeRows` \(suite\.mjs:2\)\n/);
    expect(md).toContain('compared with the profile kept by run');
    // The stored run carries the heap differential; nothing more was kept.
    const stored = dbRows(kept, 'SELECT count_profile_json FROM result_profile WHERE run_id = ?', r.report.id);
    expect(stored).toHaveLength(1);
    expect(JSON.parse(stored[0]?.count_profile_json as string)).toEqual(heap);
    expect(dbRows(kept, 'SELECT count(*) AS n FROM kept_count_profile')).toEqual([{ n: 1 }]);
  }, 120_000);

  it('says when no earlier heap profile was kept, and names the head’s top allocating function', async () => {
    const out = join(work, 'more-plain');
    const r = await run(plain, 'plain.json', out);
    expect(r.code, r.stderr).toBe(1);
    const alloc = r.report.benchmarks.find((b) => b.name === ALLOC);
    const allocated = alloc?.measures.find((m) => m.measure === 'allocated');
    expect(allocated?.verdict?.kind, allocated?.verdict?.reason).toBe('regressed');
    expect(alloc?.countProfile).toMatchObject({ unit: 'bytes', profiler: HEAP_PROFILER, top: [], files: null });
    expect(alloc?.countProfile?.note).toMatch(
      /^no earlier heap profile of this benchmark was kept on this testbed to compare against \(keep-profiles\); the head's top bytes allocated per call: makeRows \(suite\.mjs:2\) [0-9.]+ kB, /,
    );
    expect(alloc?.countProfile?.note).toContain(`its profile: ${HEAP_FILE}`);
    expect(heapProfileNames(out)).toContain('makeRows');
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain(
      'no earlier heap profile of this benchmark was kept',
    );
    expect(dbRows(plain, 'SELECT count(*) AS n FROM kept_count_profile')).toEqual([{ n: 0 }]);
  }, 120_000);

  it('takes the heap profiles to keep after the CPU ones, and says why when the budget is spent', async () => {
    const db = join(work, 'tight.db');
    const r = await run(db, 'tight.json', join(work, 'tight'));
    expect(r.code, r.stderr).toBe(0);
    const profiling = r.report.settings.profiling as Profiling;
    // Two CPU profiles (about 1.4 s each) come first: nothing is left of 2 s for the heap profile.
    expect(profiling.budgetSeconds).toBe(2);
    expect(profiling.seconds).toBeLessThanOrEqual(2.1);
    expect(profiling.profiled).not.toContain(ALLOC);
    expect(profiling.notProfiled.filter((n) => n.name === ALLOC).at(-1)?.reason).toMatch(
      /^not heap-profiled: [0-9.]+ s of the profile budget \(2 s\) left, a heap profile takes about [0-9.]+ s$/,
    );
    expect(r.report.settings).toMatchObject({ keptCountProfiles: 0 });
    expect(r.report.benchmarks.every((b) => b.keptCountProfile === undefined)).toBe(true);
    expect(dbRows(db, 'SELECT count(*) AS n FROM kept_count_profile')).toEqual([{ n: 0 }]);
  }, 60_000);
});
