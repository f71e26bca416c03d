/**
 * Differential profiles end to end: `benchgate compare` on a git repository made here, whose head
 * commit doubles the work of a helper two calls deep in a kernel; the regression's profile names
 * that helper first and its call tree leads to it, the `.cpuprofile` files are V8 CPU profiles, the
 * comment shows the lines, and profiling stays within its budget.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/model.js';
import { growthPath, TREE_ROOT } from '../../src/profile/call-tree.js';
import { runCli, tempDir } from '../helpers.js';

/** A suite whose `deep` kernel calls middle → leafWork (`leafWork` loops `leaf` times per call). */
const suiteSource = (leaf: number) => `
function leafWork(n) { let x = 0; for (let i = 0; i < n; i++) x += Math.sqrt(i + (x % 7)); return x; }
function middle(n) { return leafWork(n) + 1; }
function ownWork() { let y = 0; for (let i = 0; i < 20000; i++) y += Math.cbrt(i); return y; }
function kernel() { let s = 0; for (let k = 0; k < 4; k++) s += middle(${leaf}); return s + ownWork(); }
export default {
  name: 'deep',
  cases: () => [
    { kernel: 'deep', implementation: 'js', fixture: 'small', fixtureChecksum: 'c1', work: { flops: null, bytes: null }, setup: () => ({ run: kernel }) },
    { kernel: 'steady', implementation: 'js', fixture: 'small', fixtureChecksum: 'c1', work: { flops: null, bytes: null }, setup: () => ({ run: ownWork }) },
  ],
};
`;

const work = tempDir('benchgate-profile-');
const repo = join(work, 'repo');
const sha: Record<string, string> = {};
const BUDGET_SECONDS = 20;

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function commit(name: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) writeFileSync(join(repo, path), text);
  git('add', '-A');
  git('commit', '-q', '-m', name);
  sha[name] = git('rev-parse', 'HEAD');
}

beforeAll(() => {
  execFileSync('mkdir', ['-p', repo]);
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'test');
  git('config', 'commit.gpgsign', 'false');
  commit('base', { 'suite.mjs': suiteSource(20_000), 'build.sh': 'true\n' });
  commit('slow', { 'suite.mjs': suiteSource(40_000) });
  writeFileSync(join(work, 'config.json'), JSON.stringify({ 'profile-budget': BUDGET_SECONDS }));
});

describe('benchgate compare: differential profiles of regressions', () => {
  it('profiles the regressed benchmark on both sides and names the helper whose work doubled first', async () => {
    const started = Date.now();
    const r = await runCli(
      [
        'compare',
        '--base',
        sha.base as string,
        '--head',
        sha.slow as string,
        '--config',
        join(work, 'config.json'),
        '--min-rounds',
        '8',
        '--max-rounds',
        '8',
        '--time-budget',
        '1',
        '--threshold',
        '5%',
        '--build-command',
        'sh build.sh',
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
    const wallSeconds = (Date.now() - started) / 1000;
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as RunReport;
    const deep = report.benchmarks.find((b) => b.name === 'deep/js/small');
    expect(deep?.verdict?.kind).toBe('regressed');
    const profile = deep?.profile;
    expect(profile?.note, profile?.note).toBeUndefined();
    expect(profile?.top[0]).toMatchObject({ function: 'leafWork', file: 'suite.mjs', line: 2 });
    const first = profile?.top[0];
    expect(first?.headMsPerCall).toBeGreaterThan(1.5 * (first?.baseMsPerCall ?? Infinity));
    expect(profile?.top.length).toBeLessThanOrEqual(5);
    // Where in the call tree: the path along which time grew most runs from the kernel to the helper.
    const tree = profile?.tree;
    expect(tree?.root.function).toBe(TREE_ROOT);
    const path = growthPath(tree!.root);
    expect(path.at(-1)).toMatchObject({ function: 'leafWork', file: 'suite.mjs', line: 2 });
    expect(path[1]?.function).toBe('kernel');
    expect(path.at(-1)!.headTotalMsPerCall).toBeGreaterThan(1.5 * path.at(-1)!.baseTotalMsPerCall);
    expect(profile?.files).toEqual({
      base: 'benchgate-profiles/deep/js/small/base.cpuprofile',
      head: 'benchgate-profiles/deep/js/small/head.cpuprofile',
    });
    // Chrome DevTools' .cpuprofile: a call tree, each tick's node and the microseconds between ticks.
    for (const side of ['base', 'head'] as const) {
      const file = JSON.parse(readFileSync(join(work, 'out', profile?.files?.[side] ?? ''), 'utf8')) as Record<
        string,
        unknown[]
      >;
      expect(Array.isArray(file.nodes) && file.nodes.length > 0).toBe(true);
      expect(Array.isArray(file.samples) && file.samples.length > 100).toBe(true);
      expect(file.timeDeltas?.length).toBe(file.samples?.length);
    }
    // Only the regression is profiled, within the budget.
    expect(report.benchmarks.find((b) => b.name === 'steady/js/small')?.profile).toBeUndefined();
    const profiling = report.settings.profiling as { seconds: number; budgetSeconds: number; profiled: string[] };
    expect(profiling).toMatchObject({ budgetSeconds: BUDGET_SECONDS, profiled: ['deep/js/small'] });
    expect(profiling.seconds).toBeLessThanOrEqual(BUDGET_SECONDS);
    expect(profile?.seconds).toBeLessThanOrEqual(profiling.seconds);
    expect(wallSeconds).toBeGreaterThan(profiling.seconds);
    expect(r.stderr).toMatch(/profiling deep\/js\/small/);
    // The comment lists the lines under the regression.
    const md = readFileSync(join(work, 'out', 'report.md'), 'utf8');
    expect(md).toMatch(/\n {2}- \+[0-9.]+ (?:ms|µs)\/call in `leafWork` \(suite\.mjs:2\)\n/);
  }, 180_000);
});
