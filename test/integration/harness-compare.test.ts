/**
 * `benchgate compare` and `run` on a project's own benchmarks, end to end: a real git repository
 * made here with a pytest-benchmark suite, a commit that doubles one benchmark's work, and a
 * commit that breaks the benchmarks; real pytest runs on both revisions in every round.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/model.js';
import { runCli, tempDir } from '../helpers.js';

const hasPytestBenchmark =
  spawnSync('/usr/bin/python3', ['-c', 'import pytest_benchmark'], { stdio: 'ignore' }).status === 0;

const benchmarks = (changingWork: number) => `
def work(n):
    s = 0
    for i in range(n):
        s += i * i
    return s

def test_steady(benchmark):
    benchmark(work, 20000)

def test_changes(benchmark):
    benchmark(work, ${changingWork})
`;

const config = JSON.stringify({
  harnesses: [
    {
      harness: 'pytest-benchmark',
      command:
        '/usr/bin/python3 -m pytest benchmarks -q -p no:cacheprovider --benchmark-min-rounds=5 --benchmark-max-time=0.05',
    },
  ],
});

const work = tempDir('benchgate-harness-compare-');
const repo = join(work, 'repo');
const sha: Record<string, string> = {};

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function commit(name: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) writeFileSync(join(repo, path), text);
  git('add', '-A');
  git('commit', '-q', '-m', name);
  sha[name] = git('rev-parse', 'HEAD');
}

const flags = (n: string) => [
  '--min-rounds',
  '8',
  '--max-rounds',
  '8',
  '--threshold',
  '5%',
  '--db',
  join(work, `${n}.db`),
  '--report-markdown',
  join(work, `${n}.md`),
  '--report-json',
  join(work, `${n}.json`),
];

beforeAll(() => {
  mkdirSync(join(repo, 'benchmarks'), { recursive: true });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'test');
  git('config', 'commit.gpgsign', 'false');
  commit('base', { 'benchmarks/test_work.py': benchmarks(20000), 'benchgate.config.json': config });
  commit('slow', { 'benchmarks/test_work.py': benchmarks(40000) });
  commit('broken', { 'benchmarks/test_work.py': 'def test_x(benchmark:\n' });
});

describe.skipIf(!hasPytestBenchmark)(
  'benchgate on a pytest-benchmark project (needs Debian python3-pytest-benchmark)',
  () => {
    it('flags the benchmark whose work doubled as regressed, exit 1; the steady one is not', async () => {
      const r = await runCli(
        ['compare', '--base', sha.base as string, '--head', sha.slow as string, '--json', ...flags('slow')],
        {
          cwd: repo,
        },
      );
      expect(r.code, r.stderr).toBe(1);
      const report = JSON.parse(r.stdout) as RunReport;
      const changes = report.benchmarks.find((b) => b.name === 'pytest/benchmarks/test_work.py::test_changes');
      expect(changes?.verdict?.kind).toBe('regressed');
      expect(changes?.verdict?.changePct).toBeGreaterThan(40);
      expect(changes?.kernel).toBe('pytest');
      expect(
        report.benchmarks.find((b) => b.name === 'pytest/benchmarks/test_work.py::test_steady')?.verdict?.kind,
      ).not.toBe('regressed');
      expect(report.settings.harnesses).toEqual([
        { harness: 'pytest-benchmark', command: expect.stringContaining('pytest') },
      ]);
      // Eight rounds of one pytest run per side: 8 process measurements per benchmark and side.
      const db = new Database(join(work, 'slow.db'), { readonly: true });
      const counts = db
        .prepare('SELECT side, COUNT(*) AS n FROM measurement WHERE run_id = ? GROUP BY side ORDER BY side')
        .all(report.id);
      expect(counts).toEqual([
        { side: 'base', n: 16 },
        { side: 'head', n: 16 },
      ]);
      db.close();
    }, 240_000);

    it('fails with exit 2 naming pytest when the head cannot run its benchmarks', async () => {
      const r = await runCli(
        ['compare', '--base', sha.base as string, '--head', sha.broken as string, ...flags('broken')],
        {
          cwd: repo,
        },
      );
      expect(r.code, r.stdout).toBe(2);
      expect(r.stderr).toMatch(/head's harness failed: pytest-benchmark/);
    }, 120_000);

    it('run stores each round of the working tree as history under the harness names', async () => {
      git('checkout', '-q', sha.base as string);
      try {
        const r = await runCli(['run', '--rounds', '2', '--json', '--db', join(work, 'history.db')], { cwd: repo });
        expect(r.code, r.stderr).toBe(0);
        const report = JSON.parse(r.stdout) as RunReport;
        expect(report.kind).toBe('history');
        expect(report.benchmarks.map((b) => b.name).sort()).toEqual([
          'pytest/benchmarks/test_work.py::test_changes',
          'pytest/benchmarks/test_work.py::test_steady',
        ]);
        expect(report.benchmarks.every((b) => b.state === 'completed' && b.measurements.length === 2)).toBe(true);
        // The command sets pytest-benchmark's max time itself; benchgate sized the knob all the same (unused here).
        expect(report.settings.secondsPerBenchmark).toMatchObject({ firstRound: 0.1 });
      } finally {
        git('checkout', '-q', 'main');
      }
    }, 120_000);

    it('sizes pytest-benchmark’s own timing to the budget when the command leaves it unset', async () => {
      const file = join(work, 'unsized.config.json');
      writeFileSync(
        file,
        JSON.stringify({
          harnesses: [
            { harness: 'pytest-benchmark', command: '/usr/bin/python3 -m pytest benchmarks -q -p no:cacheprovider' },
          ],
        }),
      );
      git('checkout', '-q', sha.base as string);
      try {
        const r = await runCli(
          ['run', '--config', file, '--rounds', '3', '--time-budget', '6', '--json', '--db', join(work, 'unsized.db')],
          { cwd: repo },
        );
        expect(r.code, r.stderr).toBe(0);
        const report = JSON.parse(r.stdout) as RunReport;
        const later = (report.settings.secondsPerBenchmark as { later: number }).later;
        expect(later).toBeGreaterThanOrEqual(0.02);
        expect(later).toBeLessThan(1);
        // Round 1 asked for 0.1 s of timing per benchmark (pytest-benchmark's own default is 1 s):
        // its rounds of calls are far fewer than a second's worth of these 1–2 ms calls.
        const firstRound = report.benchmarks.map((b) => b.measurements.find((m) => m.round === 1)?.samples ?? 0);
        expect(Math.max(...firstRound)).toBeLessThan(400);
      } finally {
        git('checkout', '-q', 'main');
      }
    }, 120_000);
  },
);
