/**
 * Profiles of harness regressions in history mode end to end: `benchgate run` over a git
 * repository made here with a `command` benchmark (a C program, profiled under callgrind) and a
 * pytest-benchmark one (cProfile), into a real SQLite file. A run with `keep-profiles` keeps the
 * C program's instructions and the Python test's self times per function; the next commit makes
 * `leaf`, two calls deep, do eight times the work (and moves the Python `leaf` a line down), and its run's
 * regressions name `leaf` first against what was kept. Against a history that kept nothing, each
 * regression says so and names the head's top function.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/model.js';
import { loadRun } from '../../src/store/runs.js';
import { openStore } from '../../src/store/open.js';
import { copyDb, gitRepo, runReport, tempDir } from '../helpers.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/profile-harness');
const has = (cmd: string, ...args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const missing = [
  has('valgrind', '--version') ? null : 'valgrind',
  has('cc', '--version') ? null : 'a C compiler (cc)',
  has('/usr/bin/python3', '-c', 'import pytest_benchmark') ? null : "Debian's python3-pytest-benchmark",
].filter((x) => x !== null);

const work = tempDir('benchgate-run-harness-profiles-');
const repo = join(work, 'repo');
/**
 * Earlier runs before the one that keeps profiles. With 3, a history verdict has 2 degrees of
 * freedom: in a clean CI run the run without kept profiles measured +367% (95% CI +76% to
 * +1138%) and was still inconclusive. With 4 it has 3.
 */
const EARLIER_RUNS = 4;
const C = 'command/work';
const PY = 'pytest/test_deep.py::test_deep';
const source = (file: string) => readFileSync(join(FIXTURE, file), 'utf8');

/**
 * The leaf work of the base commit's C program, and how many times as much the slower commit does:
 * eight times, so that a run's verdict against four or five earlier runs is clear on a loaded machine
 * (with other tests running beside it on two cores, a run's median spread over 12–41 ms).
 */
const C_LEAF_WORK = 1_000_000;
const SLOWER = 8;

/** Commits the C program and the Python test with `times` the leaf work, and builds the program. */
function commit(git: (...args: string[]) => string, name: string, times: number): void {
  const c = source('work.c').replace(/#define LEAF_WORK (\d+)/, `#define LEAF_WORK ${times * C_LEAF_WORK}`);
  let py = source('test_deep.py').replace(/^LEAF_WORK = (\d+)$/m, (_, n: string) => `LEAF_WORK = ${times * Number(n)}`);
  // The slower commit also moves leaf a line down: the kept profile's leaf is the same function.
  if (times > 1) py = py.replace('\ndef leaf(n):', '\n# more work\ndef leaf(n):');
  writeFileSync(join(repo, 'work.c'), c);
  writeFileSync(join(repo, 'test_deep.py'), py);
  git('add', 'work.c', 'test_deep.py', 'benchgate.config.json');
  git('commit', '-q', '-m', name);
  execFileSync('cc', ['-O1', '-g', '-o', 'work', 'work.c'], { cwd: repo });
}

async function run(db: string, config: string, out: string): Promise<RunReport> {
  const { report } = await runReport(
    [
      'run',
      '--rounds',
      '3',
      '--threshold',
      '40%',
      '--db',
      db,
      '--config',
      join(work, config),
      '--report-json',
      join(out, 'report.json'),
      '--json',
    ],
    { cwd: repo },
  );
  return report;
}

const kept = join(work, 'kept.db');
const plain = join(work, 'plain.db');

describe.skipIf(missing.length > 0)(
  `benchgate run: profiles of harness regressions${missing.length > 0 ? ` (skipped: ${missing.join(', ')} missing)` : ''}`,
  () => {
    let git: (...args: string[]) => string;
    let keptRun: RunReport;
    beforeAll(async () => {
      mkdirSync(repo, { recursive: true });
      git = gitRepo(repo);
      const harnesses = [
        { harness: 'command', name: 'work', command: './work', runs: 3, warmup: 1 },
        {
          harness: 'pytest-benchmark',
          command: '/usr/bin/python3 -m pytest -q -p no:cacheprovider test_deep.py --benchmark-max-time=0.05',
        },
      ];
      writeFileSync(join(repo, 'benchgate.config.json'), JSON.stringify({ harnesses }));
      for (const [name, extra] of [
        ['plain.json', {}],
        ['keep.json', { 'keep-profiles': true }],
      ] as const)
        writeFileSync(join(work, name), JSON.stringify({ harnesses, 'profile-budget': 60, ...extra }));
      commit(git, 'base', 1);
      for (let i = 0; i < EARLIER_RUNS; i++) await run(kept, 'plain.json', join(work, `earlier-${i}`));
      copyDb(kept, plain);
      keptRun = await run(kept, 'keep.json', join(work, 'keep'));
    }, 240_000);

    it('keeps the C program’s instructions and the Python test’s self times with keep-profiles', () => {
      expect(keptRun.settings.keptProfiles).toBe(2);
      const c = keptRun.benchmarks.find((b) => b.name === C);
      expect(c?.keptCountProfile).toMatchObject({ unit: 'instructions', profiler: 'callgrind', calls: 1 });
      expect(c?.keptCountProfile?.functions[0]).toMatchObject({ function: 'leaf', file: 'work.c' });
      const py = keptRun.benchmarks.find((b) => b.name === PY);
      expect(py?.keptProfile?.functions.find((f) => f.function === 'leaf')).toMatchObject({
        file: 'test_deep.py',
        line: 6,
      });
      // Scaled to the run's measured time per call: the kept self times add up to its median.
      const total = py!.keptProfile!.functions.reduce((sum, f) => sum + f.msPerCall, 0);
      expect(py?.state).toBe('completed');
      if (py?.state === 'completed') {
        expect(total).toBeLessThanOrEqual(py.medianSeconds * 1000 * 1.0001);
        expect(total).toBeGreaterThan(py.medianSeconds * 1000 * 0.9);
      }
      // Stored with the run, and read back.
      const db = openStore(kept);
      try {
        const back = loadRun(db, keptRun.id);
        expect(back?.benchmarks.find((b) => b.name === C)?.keptCountProfile).toEqual(c?.keptCountProfile);
        expect(back?.benchmarks.find((b) => b.name === PY)?.keptProfile).toEqual(py?.keptProfile);
      } finally {
        db.close();
      }
    });

    it('compares a later regression with what was kept: leaf, whose work grew, comes first', async () => {
      commit(git, 'eight times the leaf work', SLOWER);
      const report = await run(kept, 'plain.json', join(work, 'slow'));
      const c = report.benchmarks.find((b) => b.name === C);
      expect(c?.verdict?.kind, c?.verdict?.reason).toBe('regressed');
      expect(c?.countProfile?.note).toMatch(new RegExp(`^compared with the profile kept by run ${keptRun.id} `));
      const leaf = c!.countProfile!.top[0]!;
      expect(leaf).toMatchObject({ function: 'leaf', file: 'work.c' });
      // Exact counts: eight times the instructions in leaf, within the loop's set-up.
      expect(leaf.headPerCall / leaf.basePerCall).toBeGreaterThan(SLOWER * 0.98);
      expect(leaf.headPerCall / leaf.basePerCall).toBeLessThan(SLOWER * 1.02);
      const py = report.benchmarks.find((b) => b.name === PY);
      expect(py?.verdict?.kind, py?.verdict?.reason).toBe('regressed');
      expect(py?.profile?.profiler).toBe('cProfile');
      expect(py?.profile?.note).toMatch(/^compared with the profile kept by run /);
      // The same function a line lower, named where it is now.
      expect(py?.profile?.top[0]).toMatchObject({ function: 'leaf', file: 'test_deep.py', line: 7 });
      expect(py!.profile!.top[0]!.headMsPerCall).toBeGreaterThan(2 * py!.profile!.top[0]!.baseMsPerCall);
      // The head's profiles are written beside the report.
      expect(existsSync(join(work, 'slow', 'benchgate-profiles/pytest/test_deep.py__test_deep/head.prof'))).toBe(true);
      const profiling = report.settings.profiling as { profiled: string[]; seconds: number };
      expect(profiling.profiled.sort()).toEqual([C, PY]);
      expect(profiling.seconds).toBeLessThanOrEqual(60);
    }, 120_000);

    it('says when nothing was kept, and names the head’s top function', async () => {
      const report = await run(plain, 'plain.json', join(work, 'unkept'));
      const c = report.benchmarks.find((b) => b.name === C);
      expect(c?.verdict?.kind, c?.verdict?.reason).toBe('regressed');
      expect(c?.countProfile?.top).toEqual([]);
      expect(c?.countProfile?.note).toMatch(
        /^no earlier profile of this benchmark was kept on this testbed to compare against \(keep-profiles\); the head's top instructions per call: leaf \(work\.c:\d+\) [0-9.]+M instructions/,
      );
      const py = report.benchmarks.find((b) => b.name === PY);
      expect(py?.profile?.note).toMatch(/the head's top self time per call: leaf \(test_deep\.py:7\)/);
    }, 120_000);
  },
);
