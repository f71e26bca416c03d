/**
 * The `instructions` measure end to end: a real git repository whose head does 1% more arithmetic
 * in one kernel (test/fixtures/suites/arith-suite.mjs with its default changed) and leaves another
 * as it was. `compare` counts both under callgrind after the timed rounds: the changed kernel is
 * regressed at a 0.5% threshold, exactly (`exact-count`), and the unchanged one is not. Without
 * valgrind on PATH the measure is reported as not taken, with the reason, and the run goes on.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/model.js';
import { ROOT, runCli, tempDir } from '../helpers.js';

const valgrind = spawnSync('valgrind', ['--version']).status === 0;
const suite = readFileSync(join(ROOT, 'test', 'fixtures', 'suites', 'arith-suite.mjs'), 'utf8');
const work = tempDir('benchgate-instructions-');
const repo = join(work, 'repo');
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
const config = {
  suite: 'suite.mjs',
  'min-rounds': 3,
  'max-rounds': 3,
  threshold: '50%',
  measures: { instructions: { gate: true, threshold: '0.5%' } },
};
const flags = (n: string) => [
  '--time-budget',
  '3',
  '--build-command',
  'true',
  '--db',
  join(work, `${n}.db`),
  '--report-json',
  join(work, `${n}.json`),
];
const instructionsOf = (report: RunReport, name: string) =>
  report.benchmarks.find((b) => b.name === name)?.measures.find((m) => m.measure === 'instructions');

beforeAll(() => {
  mkdirSync(repo, { recursive: true });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'test');
  git('config', 'commit.gpgsign', 'false');
  writeFileSync(join(repo, 'suite.mjs'), suite);
  writeFileSync(join(repo, 'benchgate.config.json'), JSON.stringify(config));
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  const more = suite.replace("process.env.ARITH_N ?? '100000'", "process.env.ARITH_N ?? '101000'");
  expect(more).not.toBe(suite);
  writeFileSync(join(repo, 'suite.mjs'), more);
  git('commit', '-q', '-am', '1% more arithmetic');
});

describe('instructions', () => {
  it.skipIf(!valgrind)(
    'calls 1% more arithmetic regressed at a 0.5% threshold, exactly, and the unchanged kernel unchanged',
    async () => {
      const r = await runCli(['compare', '--base', 'HEAD~1', '--head', 'HEAD', ...flags('one-pct')], { cwd: repo });
      const report = JSON.parse(readFileSync(join(work, 'one-pct.json'), 'utf8')) as RunReport;
      const changed = instructionsOf(report, 'arith/loop/n');
      expect(changed).toMatchObject({ gated: true, verdict: { kind: 'regressed', method: 'exact-count' } });
      expect(changed?.verdict?.changePct).toBeGreaterThan(0.5);
      expect(changed?.verdict?.changePct).toBeLessThan(2);
      expect(changed?.verdict?.reason).toMatch(/count is exact/);
      // About 22 instructions per iteration of 100,000: millions per call on both sides.
      expect(changed?.baselineMedian).toBeGreaterThan(1e6);
      const same = instructionsOf(report, 'arith/fixed/n');
      expect(same?.verdict?.kind).toBe('unchanged');
      expect(Math.abs(same?.verdict?.changePct ?? Infinity)).toBeLessThan(0.5);
      expect(report.summary.regressed).toBeGreaterThanOrEqual(1);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stdout).toMatch(/arith\/loop\/n: instructions [\d,.]+ → [\d,.]+ \(\+\d\.\d+%\) regressed/);
    },
    900_000,
  );

  it('reports instructions as not taken, with the reason, where valgrind is not on PATH', async () => {
    // A PATH with git and node only.
    const bin = join(work, 'bin');
    mkdirSync(bin, { recursive: true });
    symlinkSync(process.execPath, join(bin, 'node'));
    symlinkSync(execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim(), join(bin, 'git'));
    const r = await runCli(['run', '--rounds', '2', '--time-budget', '2', '--db', join(work, 'novg.db'), '--json'], {
      cwd: repo,
      env: { PATH: bin },
    });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as RunReport;
    for (const name of ['arith/loop/n', 'arith/fixed/n'])
      expect(instructionsOf(report, name)).toMatchObject({
        gated: true,
        median: null,
        verdict: { kind: 'inconclusive', reason: expect.stringMatching(/not taken: valgrind was not found on PATH/) },
      });
  }, 120_000);
});
