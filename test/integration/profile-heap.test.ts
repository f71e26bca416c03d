/**
 * Heap profiles of memory regressions end to end: `benchgate compare` on a git repository made
 * here, whose head commit makes a function two calls deep in a kernel allocate twice as much; the
 * `allocated` regression's differential names that function first, the `.heapprofile` files are
 * V8 sampling heap profiles (what Chrome DevTools' Memory panel opens), and the comment shows the
 * lines.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/model.js';
import { runCli, tempDir } from '../helpers.js';

/** `kernel → middle → makeRows` (`rows` objects a call) beside a fixed allocation of its own (`ownRows`). */
const suiteSource = (rows: number) => `
function makeRows(n) { const out = []; for (let i = 0; i < n; i++) out.push({ i, s: 'row' + i }); return out; }
function middle(n) { return makeRows(n).length; }
function ownRows() { const out = []; for (let i = 0; i < 3000; i++) out.push([i, i + 1]); return out.length; }
function spin() { let x = 0; for (let i = 0; i < 300000; i++) x += Math.sqrt(i); return x; }
function kernel() { return middle(${rows}) + ownRows() + spin(); }
export default {
  name: 'alloc',
  cases: () => [
    { kernel: 'alloc', implementation: 'js', fixture: 'small', fixtureChecksum: 'c1', work: { flops: null, bytes: null }, setup: () => ({ run: kernel }) },
  ],
};
`;

const work = tempDir('benchgate-profile-heap-');
const repo = join(work, 'repo');
const BUDGET_SECONDS = 20;

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

beforeAll(() => {
  execFileSync('mkdir', ['-p', repo]);
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'test');
  git('config', 'commit.gpgsign', 'false');
  writeFileSync(join(repo, 'suite.mjs'), suiteSource(4000));
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  writeFileSync(join(repo, 'suite.mjs'), suiteSource(8000));
  git('commit', '-q', '-am', 'twice the rows');
  writeFileSync(
    join(work, 'config.json'),
    JSON.stringify({
      'profile-budget': BUDGET_SECONDS,
      // Only the allocation regression gates, so only the heap profile is taken.
      measures: { time: { gate: false }, allocated: { gate: true, threshold: '20%' } },
    }),
  );
});

/** A node of a `.heapprofile` as DevTools reads it. */
interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  id: number;
  children: HeapNode[];
}

describe('benchgate compare: heap profiles of memory regressions', () => {
  it('names the function whose allocations doubled first, and writes DevTools heap profiles', async () => {
    const r = await runCli(
      [
        'compare',
        '--base',
        'HEAD~1',
        '--head',
        'HEAD',
        '--config',
        join(work, 'config.json'),
        '--min-rounds',
        '10',
        '--max-rounds',
        '10',
        '--time-budget',
        '1',
        '--build-command',
        'true',
        '--suite',
        'suite.mjs',
        '--db',
        join(work, 'history.db'),
        '--report-markdown',
        join(work, 'out', 'report.md'),
        '--report-json',
        join(work, 'out', 'report.json'),
        '--json',
      ],
      { cwd: repo },
    );
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as RunReport;
    const b = report.benchmarks.find((x) => x.name === 'alloc/js/small');
    expect(b?.measures.find((m) => m.measure === 'allocated')?.verdict?.kind).toBe('regressed');
    // Time does not gate: no CPU profile, only the heap profile.
    expect(b?.profile).toBeUndefined();
    const heap = b?.countProfile;
    expect(heap?.note, heap?.note).toBeUndefined();
    expect(heap).toMatchObject({ unit: 'bytes', profiler: 'V8 sampling heap profiler' });
    expect(heap?.top[0]).toMatchObject({ function: 'makeRows', file: 'suite.mjs', line: 2 });
    const first = heap!.top[0]!;
    // 4,000 more objects and strings a call: some 100 kB more.
    expect(first.headPerCall).toBeGreaterThan(1.5 * first.basePerCall);
    expect(first.deltaPerCall).toBeGreaterThan(50_000);
    expect(heap!.top.length).toBeLessThanOrEqual(5);
    expect(heap!.top.slice(1).every((l) => l.deltaPerCall < first.deltaPerCall / 3)).toBe(true);
    expect(heap?.files).toEqual({
      base: 'benchgate-profiles/alloc/js/small/base.heapprofile',
      head: 'benchgate-profiles/alloc/js/small/head.heapprofile',
    });
    for (const side of ['base', 'head'] as const) {
      const file = JSON.parse(readFileSync(join(work, 'out', heap!.files![side]), 'utf8')) as { head: HeapNode };
      const names: string[] = [];
      const walk = (n: HeapNode) => {
        expect(typeof n.callFrame.functionName).toBe('string');
        expect(typeof n.selfSize).toBe('number');
        expect(Array.isArray(n.children)).toBe(true);
        names.push(n.callFrame.functionName);
        n.children.forEach(walk);
      };
      walk(file.head);
      expect(file.head.callFrame.functionName).toBe('(root)');
      expect(names).toContain('makeRows');
    }
    const profiling = report.settings.profiling as { seconds: number; budgetSeconds: number; profiled: string[] };
    expect(profiling).toMatchObject({ budgetSeconds: BUDGET_SECONDS, profiled: ['alloc/js/small'] });
    expect(profiling.seconds).toBeLessThanOrEqual(BUDGET_SECONDS);
    const md = readFileSync(join(work, 'out', 'report.md'), 'utf8');
    expect(md).toMatch(/\n {2}- \+[0-9.]+ kB\/call allocated in `makeRows` \(suite\.mjs:2\)\n/);
  }, 180_000);
});
