/**
 * Sharding end to end: four shards of `benchgate compare` on a git repository made here (one
 * benchmark's work really doubles), merged with `benchgate merge`: the merged benchmarks are the
 * unsharded run's, the regression is found, exit 1; a missing shard fails the gate naming it.
 * The same over pytest-benchmark harnesses, whose benchmarks are known only after round 1. And
 * `run --shard` over the tiny suite: two shards of one commit merge into one history run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/model.js';
import { runCli, tempDir, TINY_SUITE } from '../helpers.js';

/** Five small benchmarks; `spin/loop/a` does `spinWork` square roots a call, the others fixed work. */
const suiteSource = (spinWork: number) => `
function spin(n) { let x = 0; for (let i = 0; i < n; i++) x += Math.sqrt(i); return x; }
const steady = (kernel, fixture, n) => ({ kernel, implementation: 'loop', fixture, fixtureChecksum: 'c1', work: { flops: null, bytes: null }, setup: () => ({ run: () => spin(n) }) });
export default {
  name: 'five',
  cases: () => [
    { kernel: 'spin', implementation: 'loop', fixture: 'a', fixtureChecksum: 'c1', work: { flops: ${2 * spinWork}, bytes: null }, setup: () => ({ run: () => spin(${spinWork}) }) },
    steady('steady', 'b', 30000),
    steady('steady', 'c', 20000),
    steady('other', 'd', 30000),
    steady('other', 'e', 20000),
  ],
};
`;

const work = tempDir('benchgate-shards-');
const repo = join(work, 'repo');
const sha: Record<string, string> = {};

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/**
 * A checkout of its own for one CI job (as each matrix job has), in a folder also named `repo`:
 * the project name comes from the folder, and jobs never share a worktree cache.
 */
function checkoutFor(origin: string, job: string): string {
  const path = join(origin, '..', job, 'repo');
  execFileSync('git', ['clone', '-q', origin, path], { stdio: 'ignore' });
  return path;
}

function commit(name: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) writeFileSync(join(repo, path), text);
  git('add', '-A');
  git('commit', '-q', '-m', name);
  sha[name] = git('rev-parse', 'HEAD');
}

// One look at 12 rounds: a shard of 2 of the 5 compared benchmarks tests at α = 0.004, Holm's
// first step at 0.002, which 12 rounds (2⁻¹² at best) can reach; a 2× slowdown wins every round.
const compareFlags = (n: string) => [
  'compare',
  '--base',
  sha.base as string,
  '--head',
  sha.slow as string,
  '--min-rounds',
  '12',
  '--max-rounds',
  '12',
  '--time-budget',
  '2',
  '--threshold',
  '5%',
  '--build-command',
  'true',
  '--suite',
  'suite.mjs',
  '--db',
  join(work, `${n}.db`),
  '--report-markdown',
  join(work, `${n}.md`),
  '--report-json',
  join(work, `${n}.json`),
];

const readReport = (n: string) => JSON.parse(readFileSync(join(work, `${n}.json`), 'utf8')) as RunReport;

beforeAll(() => {
  execFileSync('mkdir', ['-p', repo]);
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'test');
  git('config', 'commit.gpgsign', 'false');
  commit('base', { 'suite.mjs': suiteSource(100_000), README: 'demo\n' });
  commit('slow', { 'suite.mjs': suiteSource(200_000) });
});

describe('benchgate compare --shard and benchgate merge', () => {
  it('merges four shards into the unsharded run’s benchmarks, finds the regression, exit 1; a missing shard fails naming it', async () => {
    const whole = await runCli(compareFlags('whole'), { cwd: repo });
    expect(whole.code, whole.stderr).toBe(1);
    const shards = await Promise.all(
      [1, 2, 3, 4].map((k) =>
        runCli([...compareFlags(`shard-${k}`), '--shard', `${k}/4`], { cwd: checkoutFor(repo, `job-${k}`) }),
      ),
    );
    const reports = [1, 2, 3, 4].map((k) => readReport(`shard-${k}`));
    shards.forEach((r, i) => expect(r.code, r.stderr).toBe(reports[i]?.summary.regressed ? 1 : 0));
    for (const [i, report] of reports.entries()) {
      const shard = report.settings.shard as {
        k: number;
        n: number;
        alpha: number;
        familyShare: number;
        names: string[];
      };
      expect(shard).toMatchObject({ k: i + 1, n: 4, familyAlpha: 0.01, balancedBy: 'count', total: 5 });
      expect(shard.alpha).toBeCloseTo(0.01 * shard.familyShare, 15);
      expect(report.settings.alpha).toBeCloseTo(shard.alpha, 15);
      expect(report.benchmarks.map((b) => b.name).sort()).toEqual([...shard.names].sort());
    }

    const merged = await runCli(
      [
        'merge',
        ...[1, 2, 3, 4].map((k) => join(work, `shard-${k}.json`)),
        '--report-markdown',
        join(work, 'merged.md'),
        '--report-json',
        join(work, 'merged.json'),
      ],
      { cwd: work },
    );
    expect(merged.code, merged.stderr).toBe(1);
    const report = readReport('merged');
    const names = (r: RunReport) => r.benchmarks.map((b) => b.name).sort();
    expect(names(report)).toEqual(names(readReport('whole')));
    expect(report.benchmarks.find((b) => b.name === 'spin/loop/a')?.verdict?.kind).toBe('regressed');
    expect(report.summary.regressed).toBe(1);
    expect(report.base?.sha).toBe(sha.base);
    expect(report.head.sha).toBe(sha.slow);
    expect(report.settings).toMatchObject({ alpha: 0.01, familySize: 5 });
    expect(readFileSync(join(work, 'merged.md'), 'utf8')).toMatch(/1 regression found/);

    const missing = await runCli(
      ['merge', ...[1, 2, 4].map((k) => join(work, `shard-${k}.json`)), '--report-markdown', join(work, 'gap.md')],
      { cwd: work },
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/shard 3\/4 is missing/);
    expect(readFileSync(join(work, 'gap.md'), 'utf8')).toMatch(/nothing was decided[\s\S]*shard 3\/4 is missing/);
  }, 240_000);
});

describe('benchgate run --shard', () => {
  it('measures only its shard; two shards of one commit merge into one history run of the whole suite', async () => {
    const dir = tempDir('benchgate-run-shards-');
    const run = (k: number) =>
      runCli(
        [
          'run',
          '--suite',
          TINY_SUITE,
          '--rounds',
          '2',
          '--time-budget',
          '0.5',
          '--shard',
          `${k}/2`,
          '--db',
          join(dir, `h${k}.db`),
        ].concat(['--report-json', join(dir, `run-${k}.json`), '--report-markdown', join(dir, `run-${k}.md`)]),
        { cwd: dir },
      );
    const [one, two] = await Promise.all([run(1), run(2)]);
    expect(one?.code, one?.stderr).toBe(0);
    expect(two?.code, two?.stderr).toBe(0);
    const parts = [1, 2].map((k) => JSON.parse(readFileSync(join(dir, `run-${k}.json`), 'utf8')) as RunReport);
    expect(parts.map((p) => p.benchmarks.length)).toEqual([2, 2]);
    const merged = await runCli(
      ['merge', join(dir, 'run-1.json'), join(dir, 'run-2.json'), '--report-json', join(dir, 'all.json')].concat([
        '--report-markdown',
        join(dir, 'all.md'),
        '--json',
      ]),
      { cwd: dir },
    );
    expect(merged.code, merged.stderr).toBe(0);
    const report = JSON.parse(merged.stdout) as RunReport;
    expect(report.kind).toBe('history');
    expect(report.benchmarks.map((b) => b.name).sort()).toEqual(
      ['faults/skips/x', 'faults/throws/x', `names/quote"s <b>html</b> & ünïcødé ✓/x`, 'spin/loop/small'].sort(),
    );
    expect(report.settings.shards).toMatchObject({ n: 2, balancedBy: 'count' });
    expect(report.summary).toMatchObject({ errored: 1, skipped: 1, regressed: 0 });
  }, 120_000);

  it('refuses a shard in the config file, naming the key', async () => {
    const dir = tempDir('benchgate-run-shards-');
    writeFileSync(join(dir, 'benchgate.config.json'), JSON.stringify({ shard: '1/2' }));
    const r = await runCli(['run', '--suite', TINY_SUITE], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/'shard' in .*benchgate\.config\.json: set it per CI job with --shard K\/N/);
  });
});

const hasPytestBenchmark =
  spawnSync('/usr/bin/python3', ['-c', 'import pytest_benchmark'], { stdio: 'ignore' }).status === 0;

describe('benchgate compare --shard over a harness', () => {
  it.skipIf(!hasPytestBenchmark)(
    'splits pytest-benchmark tests after round 1; the merged shards find the doubled one (needs pytest-benchmark in /usr/bin/python3)',
    async () => {
      const dir = tempDir('benchgate-harness-shards-');
      const hrepo = join(dir, 'repo');
      mkdirSync(join(hrepo, 'benchmarks'), { recursive: true });
      const hgit = (...args: string[]) =>
        execFileSync('git', args, { cwd: hrepo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
      const tests = (n: number) =>
        `def work(n):\n    s = 0\n    for i in range(n):\n        s += i * i\n    return s\n\n` +
        `def test_steady(benchmark):\n    benchmark(work, 20000)\n\n` +
        `def test_changes(benchmark):\n    benchmark(work, ${n})\n`;
      hgit('init', '-q', '-b', 'main');
      hgit('config', 'user.email', 'test@example.com');
      hgit('config', 'user.name', 'test');
      hgit('config', 'commit.gpgsign', 'false');
      const command =
        '/usr/bin/python3 -m pytest benchmarks -q -p no:cacheprovider --benchmark-min-rounds=5 --benchmark-max-time=0.05';
      writeFileSync(
        join(hrepo, 'benchgate.config.json'),
        JSON.stringify({ harnesses: [{ harness: 'pytest-benchmark', command }] }),
      );
      const shas: string[] = [];
      for (const n of [20000, 40000]) {
        writeFileSync(join(hrepo, 'benchmarks', 'test_work.py'), tests(n));
        hgit('add', '-A');
        hgit('commit', '-q', '-m', `work ${n}`);
        shas.push(hgit('rev-parse', 'HEAD'));
      }
      const shard = (k: number, cwd: string) =>
        runCli(
          ['compare', '--base', shas[0] as string, '--head', shas[1] as string, '--shard', `${k}/2`]
            .concat(['--min-rounds', '8', '--max-rounds', '8', '--threshold', '5%', '--build-command', 'true'])
            .concat(['--db', join(dir, `h${k}.db`), '--report-json', join(dir, `s${k}.json`)])
            .concat(['--report-markdown', join(dir, `s${k}.md`)]),
          { cwd },
        );
      // Two CI jobs at once; a shard holds 1 of the 2 benchmarks: α 0.005, which 8 rounds can reach.
      for (const r of await Promise.all([1, 2].map((k) => shard(k, checkoutFor(hrepo, `job-${k}`)))))
        expect([0, 1], r.stderr).toContain(r.code);
      const parts = [1, 2].map((k) => JSON.parse(readFileSync(join(dir, `s${k}.json`), 'utf8')) as RunReport);
      expect(parts.map((p) => p.benchmarks.length)).toEqual([1, 1]);
      for (const p of parts)
        expect(p.settings.shard).toMatchObject({ familySize: 2, familyBenchmarks: 1, alpha: 0.005 });
      const merged = await runCli(
        ['merge', join(dir, 's1.json'), join(dir, 's2.json'), '--json', '--report-json', join(dir, 'm.json')].concat([
          '--report-markdown',
          join(dir, 'm.md'),
        ]),
        { cwd: dir },
      );
      expect(merged.code, merged.stderr).toBe(1);
      const report = JSON.parse(merged.stdout) as RunReport;
      const byName = new Map(report.benchmarks.map((b) => [b.name.replace(/^.*::/, ''), b]));
      expect([...byName.keys()].sort()).toEqual(['test_changes', 'test_steady']);
      expect(byName.get('test_changes')?.verdict?.kind).toBe('regressed');
      expect(report.summary.regressed).toBe(1);
    },
    240_000,
  );
});
