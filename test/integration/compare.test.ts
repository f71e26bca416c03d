/**
 * `benchgate compare` end to end on a real git repository made here: a tiny suite committed in
 * it, a build script, and commits that really change the work (a benchmark doubling its loop), a
 * broken base build, a renamed benchmark; plus an unknown ref and a shallow clone.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/model.js';
import { runCli, tempDir } from '../helpers.js';

const suiteSource = (spinWork: number, steadyName: string, withGpu = false) => `
function spin(n) { let x = 0; for (let i = 0; i < n; i++) x += Math.sqrt(i); return x; }
class SkipBenchmark extends Error { name = 'SkipBenchmark'; }
export default {
  name: 'demo',
  cases: () => [
    { kernel: 'spin', implementation: 'loop', fixture: 'small', fixtureChecksum: 'c1', work: { flops: ${2 * spinWork}, bytes: null }, setup: () => ({ run: () => spin(${spinWork}) }) },
    { kernel: '${steadyName}', implementation: 'loop', fixture: 'small', fixtureChecksum: 'c1', work: { flops: null, bytes: null }, setup: () => ({ run: () => spin(40000) }) },
    ${withGpu ? "{ kernel: 'spin', implementation: 'gpu', fixture: 'small', fixtureChecksum: 'c1', work: { flops: null, bytes: null }, setup: () => { throw new SkipBenchmark('no GPU here'); } }," : ''}
  ],
};
`;

const work = tempDir('benchgate-compare-');
const repo = join(work, 'repo');
const sha: Record<string, string> = {};

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function commit(name: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) writeFileSync(join(repo, path), text);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', name);
  sha[name] = git(repo, 'rev-parse', 'HEAD');
}

// Small budgets: 8 rounds, one look, ~30 ms per benchmark and process. A 2× slowdown wins every
// round (p = 2⁻⁸, Holm over 2 benchmarks 0.008 < 0.01); identical builds almost never do.
const fast = (n: string) => [
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
  join(work, `${n}.db`),
  '--report-markdown',
  join(work, `${n}.md`),
  '--report-json',
  join(work, `${n}.json`),
];

beforeAll(() => {
  execFileSync('mkdir', ['-p', repo]);
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.email', 'test@example.com');
  git(repo, 'config', 'user.name', 'test');
  git(repo, 'config', 'commit.gpgsign', 'false');
  commit('broken', {
    'suite.mjs': suiteSource(100_000, 'steady'),
    'build.sh': 'echo "compiling..."; echo "src/x.ts(3,1): error TS1005: \';\' expected." >&2; exit 2\n',
    README: 'demo\n',
  });
  commit('base', { 'build.sh': 'echo built > built.txt\n' });
  commit('slow', { 'suite.mjs': suiteSource(200_000, 'steady') });
  git(repo, 'checkout', '-q', '-b', 'rename', sha.base as string);
  commit('renamed', { 'suite.mjs': suiteSource(100_000, 'fresh') });
  git(repo, 'checkout', '-q', '-b', 'gpu', sha.base as string);
  commit('gpu-base', { 'suite.mjs': suiteSource(100_000, 'steady', true) });
  commit('gpu-head', { README: 'demo, with a GPU case\n' });
  git(repo, 'checkout', '-q', 'main');
});

describe('benchgate compare', () => {
  it('flags a benchmark whose work doubled as regressed (head = the dirty working tree), exit 1, and stores every process', async () => {
    writeFileSync(join(repo, 'README'), 'demo, edited\n');
    try {
      const r = await runCli(['compare', '--base', sha.base as string, '--json', ...fast('slow')], { cwd: repo });
      expect(r.code, r.stderr).toBe(1);
      const report = JSON.parse(r.stdout) as RunReport;
      expect(report.kind).toBe('compare');
      expect(report.base?.sha).toBe(sha.base);
      expect(report.head.sha).toBe(sha.slow);
      expect(report.head.dirty).toBe(true);
      const spin = report.benchmarks.find((b) => b.name === 'spin/loop/small');
      expect(spin?.verdict?.kind).toBe('regressed');
      expect(spin?.verdict?.changePct).toBeGreaterThan(40);
      expect(spin?.verdict?.ciLowPct).toBeGreaterThan(5);
      expect(spin?.verdict?.pValue).toBeLessThan(0.01);
      expect(report.benchmarks.find((b) => b.name === 'steady/loop/small')?.verdict?.kind).not.toBe('regressed');
      expect(report.summary.regressed).toBe(1);
      expect(report.settings.interleaving).toMatch(/one fresh process with both revisions loaded/);
      // Reports lead with the regression and show before → after.
      const md = readFileSync(join(work, 'slow.md'), 'utf8');
      expect(md).toMatch(/1 regression found/);
      expect(md).toMatch(/uncommitted changes/);
      expect(md.indexOf('spin/loop/small')).toBeLessThan(md.indexOf('steady/loop/small'));
      // Every per-process measurement of both sides and the verdict's statistics are in SQLite.
      const db = new Database(join(work, 'slow.db'), { readonly: true });
      const counts = db
        .prepare('SELECT side, COUNT(*) AS n FROM measurement WHERE run_id = ? GROUP BY side ORDER BY side')
        .all(report.id);
      expect(counts).toEqual([
        { side: 'base', n: 16 },
        { side: 'head', n: 16 },
      ]);
      const v = db
        .prepare(
          "SELECT v.verdict, v.p_value, v.ci_low_pct, v.details_json FROM verdict v JOIN benchmark b ON b.id = v.benchmark_id WHERE v.run_id = ? AND b.name = 'spin/loop/small'",
        )
        .get(report.id) as Record<string, unknown>;
      expect(v.verdict).toBe('regressed');
      expect(v.p_value).toBeLessThan(0.01);
      expect(JSON.parse(v.details_json as string)).toMatchObject({ correction: 'holm', familySize: 2, look: 1 });
      db.close();
    } finally {
      git(repo, 'checkout', '-q', '--', 'README');
    }
  }, 120_000);

  it('finds no regression when both sides are the same commit, exit 0, reusing the built worktree (one process per side)', async () => {
    const r = await runCli(['compare', '--base', 'main', '--head', 'main', '--isolation', 'process', ...fast('same')], {
      cwd: repo,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/regressed/);
    expect(r.stdout).toMatch(/no regression/);
    expect(r.stdout).toMatch(/before → after/);
    expect(r.stderr).toMatch(/reusing the built worktree of head main/);
    const report = JSON.parse(readFileSync(join(work, 'same.json'), 'utf8')) as RunReport;
    expect(report.summary.regressed).toBe(0);
    expect(report.base?.sha).toBe(report.head.sha);
    expect(report.settings.interleaving).toMatch(/one fresh process per benchmark and side/);
  }, 120_000);

  it('reports a benchmark on one side only as added or removed, not compared', async () => {
    const r = await runCli(['compare', '--base', sha.base as string, '--head', 'rename', ...fast('rename')], {
      cwd: repo,
    });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(work, 'rename.json'), 'utf8')) as RunReport;
    const byName = new Map(report.benchmarks.map((b) => [b.name, b]));
    expect(byName.get('fresh/loop/small')?.presence).toBe('added');
    expect(byName.get('steady/loop/small')?.presence).toBe('removed');
    expect(byName.get('fresh/loop/small')?.medianSeconds).toBeGreaterThan(0);
    expect(byName.get('steady/loop/small')?.measurements.every((m) => m.side === 'base')).toBe(true);
    expect(byName.get('spin/loop/small')?.presence ?? 'both').toBe('both');
    expect(report.summary).toMatchObject({ added: 1, removed: 1, regressed: 0 });
    expect(r.stdout).toMatch(/fresh\/loop\/small.*added \(only in head, not compared\)/);
    expect(r.stdout).toMatch(/steady\/loop\/small.*removed \(only in base, not compared\)/);
    expect(readFileSync(join(work, 'rename.md'), 'utf8')).toMatch(/Added or removed/);
  }, 120_000);

  it('leaves a benchmark this machine skips on both sides out of the Holm family and the look schedule', async () => {
    const r = await runCli(
      ['compare', '--base', sha['gpu-base'] as string, '--head', sha['gpu-head'] as string, ...fast('gpu')],
      { cwd: repo },
    );
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(work, 'gpu.json'), 'utf8')) as RunReport;
    const gpu = report.benchmarks.find((b) => b.name === 'spin/gpu/small');
    expect(gpu).toMatchObject({ state: 'skipped', reason: 'no GPU here' });
    // Measured once (round 1), then never again.
    expect(gpu?.measurements.map((m) => m.round)).toEqual([1, 1]);
    expect(report.settings.familySize).toBe(2);
    expect(report.benchmarks.find((b) => b.name === 'spin/loop/small')?.verdict?.details).toMatchObject({
      familySize: 2,
    });
  }, 120_000);

  it('says a base that fails to build failed, with the tail of its output, exit 2', async () => {
    const r = await runCli(['compare', '--base', sha.broken as string, ...fast('broken')], { cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/building base .* with 'sh build\.sh' failed \(exit code 2\)/);
    expect(r.stderr).toMatch(/error TS1005/);
  }, 60_000);

  it('names an unknown ref, exit 2', async () => {
    const r = await runCli(['compare', '--base', 'no-such-branch', ...fast('unknown')], { cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown base revision 'no-such-branch'/);
  });

  it('tells a shallow clone without the base commit to fetch its history, exit 2', async () => {
    const shallow = join(work, 'shallow');
    execFileSync('git', ['clone', '-q', '--depth', '1', '--branch', 'main', `file://${repo}`, shallow]);
    const r = await runCli(['compare', '--base', sha.base as string, ...fast('shallow')], { cwd: shallow });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not in this shallow clone/);
    expect(r.stderr).toMatch(/git fetch --unshallow/);
    expect(r.stderr).toMatch(/fetch-depth: 0/);
  });

  it('requires --base', async () => {
    const r = await runCli(['compare', ...fast('nobase')], { cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/'base' is required/);
  });
});
