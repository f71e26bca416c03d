/**
 * Callgrind profiles of harness regressions end to end: `benchgate compare` on a git repository
 * made here, with a `command` benchmark (a C program) and a Google Benchmark binary whose head
 * commit doubles the work of `leaf`, two calls deep; each regression's instruction differential
 * names `leaf` first with its file and line, the callgrind outputs are written beside the report,
 * and the comment shows the lines. Without valgrind on PATH the regression says callgrind was
 * missing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/model.js';
import { callgrindSelfCosts } from '../../src/profile/callgrind.js';
import { runCli, tempDir } from '../helpers.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/profile-harness');
const has = (cmd: string, ...args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const hasValgrind = has('valgrind', '--version');
const hasCc = has('cc', '--version');
// Google Benchmark is there when a program linking it builds.
const gbDir = tempDir('benchgate-gb-probe-');
writeFileSync(join(gbDir, 'p.cc'), '#include <benchmark/benchmark.h>\nBENCHMARK_MAIN();\n');
const hasGoogleBenchmark =
  has('c++', '--version') &&
  spawnSync('c++', ['p.cc', '-o', 'p', '-lbenchmark', '-lpthread'], { cwd: gbDir, stdio: 'ignore' }).status === 0;
const missing = [
  hasValgrind ? null : 'valgrind',
  hasCc ? null : 'a C compiler (cc)',
  hasGoogleBenchmark ? null : 'Google Benchmark (libbenchmark-dev)',
].filter((x) => x !== null);

const work = tempDir('benchgate-profile-harness-');

function makeRepo(repo: string, files: Record<string, string>, doubled: Record<string, string>): void {
  mkdirSync(repo, { recursive: true });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'test');
  git('config', 'commit.gpgsign', 'false');
  for (const [path, text] of Object.entries(files)) writeFileSync(join(repo, path), text);
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  for (const [path, text] of Object.entries(doubled)) writeFileSync(join(repo, path), text);
  git('commit', '-q', '-am', 'twice the leaf work');
}

const compareArgs = (out: string, rounds = '16') => [
  'compare',
  '--base',
  'HEAD~1',
  '--head',
  'HEAD',
  // Two benchmarks share α: 8 rounds cannot reach it; more rounds outlast a loaded machine's noise.
  '--min-rounds',
  rounds,
  '--max-rounds',
  rounds,
  '--time-budget',
  '1',
  '--threshold',
  '5%',
  '--db',
  join(out, 'history.db'),
  '--report-markdown',
  join(out, 'report.md'),
  '--report-json',
  join(out, 'report.json'),
  '--json',
];

const source = (file: string) => readFileSync(join(FIXTURE, file), 'utf8');
const doubled = (text: string) =>
  text.replace(/#define LEAF_WORK (\d+)/, (_, n: string) => `#define LEAF_WORK ${2 * Number(n)}`);

describe('benchgate compare: callgrind profiles of harness regressions', () => {
  const repo = join(work, 'native');
  beforeAll(() => {
    if (missing.length > 0) return;
    const config = {
      'build-command': 'cc -O1 -g -o work work.c && c++ -O2 -g -o bench bench.cc -lbenchmark -lpthread',
      harnesses: [
        { harness: 'command', name: 'work', command: './work', runs: 5, warmup: 1 },
        { harness: 'google-benchmark', command: './bench' },
      ],
      'profile-budget': 60,
    };
    makeRepo(
      repo,
      { 'work.c': source('work.c'), 'bench.cc': source('bench.cc'), 'benchgate.config.json': JSON.stringify(config) },
      { 'work.c': doubled(source('work.c')), 'bench.cc': doubled(source('bench.cc')) },
    );
  });

  it.skipIf(missing.length > 0)(
    `names the C function whose work doubled first, for a command and a Google Benchmark benchmark${missing.length > 0 ? ` (skipped: ${missing.join(', ')} missing)` : ''}`,
    async () => {
      const out = join(work, 'native-out');
      const r = await runCli(compareArgs(out), { cwd: repo });
      expect(r.code, r.stderr).toBe(1);
      const report = JSON.parse(r.stdout) as RunReport;
      const md = readFileSync(join(out, 'report.md'), 'utf8');
      // callgrind names C++ functions demangled, with their parameters.
      for (const [name, file, leaf] of [
        ['command/work', 'work.c', 'leaf'],
        ['gbench/BM_Deep', 'bench.cc', 'leaf(long)'],
      ] as const) {
        const b = report.benchmarks.find((x) => x.name === name);
        expect(b?.verdict?.kind, `${name}: ${b?.verdict?.reason}`).toBe('regressed');
        const p = b?.countProfile;
        expect(p?.note, p?.note).toBeUndefined();
        expect(p).toMatchObject({ unit: 'instructions', profiler: 'callgrind' });
        const first = p!.top[0]!;
        expect(first).toMatchObject({ function: leaf, file });
        expect(first.line).toBeGreaterThanOrEqual(7);
        expect(first.line).toBeLessThanOrEqual(10);
        // Exact counts: the head's own instructions in leaf are twice the base's, within the loop's set-up.
        expect(first.headPerCall / first.basePerCall).toBeGreaterThan(1.95);
        expect(first.headPerCall / first.basePerCall).toBeLessThan(2.05);
        expect(p!.top.slice(1).every((l) => l.deltaPerCall < first.deltaPerCall / 10)).toBe(true);
        // The files are the benchmark process's callgrind outputs, whose own costs add up to its totals.
        for (const side of ['base', 'head'] as const) {
          const path = p!.files![side];
          expect(path).toMatch(new RegExp(`^benchgate-profiles/${name}/callgrind\\.out\\.${side}\\.\\d+$`));
          const text = readFileSync(join(out, path), 'utf8');
          const own = callgrindSelfCosts(text, path).reduce((sum, c) => sum + c.ir, 0);
          expect(own).toBe(Number(/^totals: (\d+)$/m.exec(text)?.[1]));
          expect(own).toBeGreaterThan(1_000_000);
        }
        const shownLeaf = leaf === 'leaf' ? '`leaf`' : 'leaf\\(long\\)';
        const line = md.split('\n').find((l) => l.includes(`instructions/call in ${shownLeaf}`));
        expect(line, md).toMatch(
          new RegExp(`^ {2}- \\+[0-9.]+ (?:[kMG] )?instructions/call in .+ \\(${file}:${first.line}\\)$`),
        );
      }
      const profiling = report.settings.profiling as { seconds: number; budgetSeconds: number; profiled: string[] };
      expect(profiling.profiled.sort()).toEqual(['command/work', 'gbench/BM_Deep']);
      expect(profiling.seconds).toBeLessThanOrEqual(60);
    },
    300_000,
  );
});

const hasPytestBenchmark = has('/usr/bin/python3', '-c', 'import pytest_benchmark');

describe('benchgate compare: cProfile profiles of pytest-benchmark regressions', () => {
  it.skipIf(!hasPytestBenchmark)(
    `names the Python function whose work doubled first${hasPytestBenchmark ? '' : ' (skipped: /usr/bin/python3 has no pytest_benchmark; Debian: python3-pytest-benchmark)'}`,
    async () => {
      const repo = join(work, 'python');
      const config = {
        'build-command': 'true',
        harnesses: [
          {
            harness: 'pytest-benchmark',
            command: '/usr/bin/python3 -m pytest -q -p no:cacheprovider test_deep.py --benchmark-max-time=0.05',
          },
        ],
      };
      const py = source('test_deep.py');
      makeRepo(
        repo,
        { 'test_deep.py': py, 'benchgate.config.json': JSON.stringify(config) },
        { 'test_deep.py': py.replace(/^LEAF_WORK = (\d+)$/m, (_, n: string) => `LEAF_WORK = ${2 * Number(n)}`) },
      );
      const out = join(work, 'python-out');
      const r = await runCli(compareArgs(out, '10'), { cwd: repo });
      expect(r.code, r.stderr).toBe(1);
      const report = JSON.parse(r.stdout) as RunReport;
      const b = report.benchmarks.find((x) => x.name === 'pytest/test_deep.py::test_deep');
      expect(b?.verdict?.kind, b?.verdict?.reason).toBe('regressed');
      const p = b?.profile;
      expect(p?.note, p?.note).toBeUndefined();
      expect(p?.profiler).toBe('cProfile');
      expect(p?.top[0]).toMatchObject({ function: 'leaf', file: 'test_deep.py', line: 6 });
      const first = p!.top[0]!;
      // Wall-clock self time on a loaded machine: clearly more, not exactly twice.
      expect(first.headMsPerCall).toBeGreaterThan(1.2 * first.baseMsPerCall);
      expect(p?.files).toEqual({
        base: 'benchgate-profiles/pytest/test_deep.py__test_deep/base.prof',
        head: 'benchgate-profiles/pytest/test_deep.py__test_deep/head.prof',
      });
      // The pstats files load in Python's own reader, and name leaf.
      for (const side of ['base', 'head'] as const) {
        const check = spawnSync(
          '/usr/bin/python3',
          [
            '-c',
            'import pstats, sys; s = pstats.Stats(sys.argv[1]); print(any(k[2] == "leaf" for k in s.stats))',
            join(out, p!.files![side]),
          ],
          { encoding: 'utf8' },
        );
        expect(check.stdout.trim(), check.stderr).toBe('True');
      }
      const md = readFileSync(join(out, 'report.md'), 'utf8');
      expect(md).toMatch(/\n {2}- \+[0-9.]+ (?:ms|µs)\/call in `leaf` \(test\\_deep\.py:6\)\n/);
    },
    300_000,
  );
});

describe('benchgate compare: a harness regression without its profiler', () => {
  it('says callgrind and perf were missing when neither is on PATH', async () => {
    const repo = join(work, 'shell');
    const loop = (n: number) => `i=0; while [ $i -lt ${n} ]; do i=$((i+1)); done\n`;
    const config = JSON.stringify({
      'build-command': 'true',
      harnesses: [{ harness: 'command', name: 'loop', command: 'sh loop.sh', runs: 3, warmup: 0 }],
    });
    makeRepo(repo, { 'benchgate.config.json': config, 'loop.sh': loop(30_000) }, { 'loop.sh': loop(60_000) });
    // A PATH with git and a shell, and no valgrind.
    const bin = join(work, 'bin');
    mkdirSync(bin, { recursive: true });
    for (const tool of ['sh', 'git']) {
      const at = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
      symlinkSync(at, join(bin, tool));
    }
    const out = join(work, 'shell-out');
    const r = await runCli(compareArgs(out), { cwd: repo, env: { PATH: bin } });
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as RunReport;
    const b = report.benchmarks.find((x) => x.name === 'command/loop');
    expect(b?.verdict?.kind).toBe('regressed');
    expect(b?.countProfile).toMatchObject({ unit: 'instructions', profiler: 'callgrind', top: [], files: null });
    const missing = /^not profiled: callgrind was not found: valgrind is not on PATH, and perf cannot record here \(/;
    expect(b?.countProfile?.note).toMatch(missing);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain(
      '  - not profiled: callgrind was not found: valgrind is not on PATH, and perf cannot record here \\(',
    );
  }, 180_000);
});

const perfRecords = has('perf', 'record', '-q', '-o', join(tempDir('benchgate-perf-probe-'), 'p.data'), '--', 'true');
const missingForPerf = [perfRecords ? null : 'perf cannot record here', hasCc ? null : 'a C compiler (cc)'].filter(
  (x) => x !== null,
);

describe('benchgate compare: perf profiles of harness regressions too slow for callgrind', () => {
  it.skipIf(missingForPerf.length > 0)(
    `samples a command with perf when callgrind would not fit the budget, and names the C function whose work doubled first${missingForPerf.length > 0 ? ` (skipped: ${missingForPerf.join(', ')})` : ''}`,
    async () => {
      const repo = join(work, 'perf');
      // About 0.16 s a run: callgrind (some 50 times slower) would take 16 s for both sides, over the 10 s budget.
      const slow = (times: number) =>
        source('work.c').replace(/#define LEAF_WORK (\d+)/, `#define LEAF_WORK ${times * 40_000_000}`);
      const config = {
        'build-command': 'cc -O1 -g -o work work.c',
        harnesses: [{ harness: 'command', name: 'work', command: './work', runs: 3, warmup: 1 }],
        'profile-budget': 10,
      };
      makeRepo(repo, { 'work.c': slow(1), 'benchgate.config.json': JSON.stringify(config) }, { 'work.c': slow(2) });
      const out = join(work, 'perf-out');
      const r = await runCli(compareArgs(out, '8'), { cwd: repo });
      expect(r.code, r.stderr).toBe(1);
      const report = JSON.parse(r.stdout) as RunReport;
      const b = report.benchmarks.find((x) => x.name === 'command/work');
      expect(b?.verdict?.kind, b?.verdict?.reason).toBe('regressed');
      const p = b?.profile;
      expect(p?.note, p?.note).toBeUndefined();
      expect(b?.countProfile).toBeUndefined();
      expect(p?.profiler).toBe('perf');
      const first = p!.top[0]!;
      expect(first).toMatchObject({ function: 'leaf', file: 'work.c' });
      expect(first.line).toBeGreaterThanOrEqual(7);
      expect(first.line).toBeLessThanOrEqual(10);
      // One sampled run a side, scaled to the rounds' medians: about twice (1.97–2.16 in three runs by hand).
      expect(first.headMsPerCall).toBeGreaterThan(1.6 * first.baseMsPerCall);
      expect(first.headMsPerCall).toBeLessThan(2.6 * first.baseMsPerCall);
      expect(p?.files).toEqual({
        base: 'benchgate-profiles/command/work/base.perf.data',
        head: 'benchgate-profiles/command/work/head.perf.data',
      });
      // perf's own reader opens the kept files.
      const check = spawnSync('perf', ['report', '--stdio', '-i', join(out, p!.files!.head)], { encoding: 'utf8' });
      expect(check.stdout).toMatch(/leaf/);
      const profiling = report.settings.profiling as { seconds: number };
      expect(profiling.seconds).toBeLessThanOrEqual(10);
    },
    180_000,
  );
});

const hasHyperfine = has('hyperfine', '--version');
const missingForHyperfine = [
  hasHyperfine ? null : 'hyperfine',
  hasValgrind ? null : 'valgrind',
  hasCc ? null : 'a C compiler (cc)',
].filter((x) => x !== null);

describe('benchgate compare: callgrind profiles of hyperfine regressions', () => {
  it.skipIf(missingForHyperfine.length > 0)(
    `runs the named command alone under callgrind and names the C function whose work doubled first${missingForHyperfine.length > 0 ? ` (skipped: ${missingForHyperfine.join(', ')} missing)` : ''}`,
    async () => {
      const repo = join(work, 'hyperfine');
      const config = {
        'build-command': 'cc -O1 -g -o work work.c',
        harnesses: [
          {
            harness: 'hyperfine',
            // Two commands, one named: the profile must pick the quoted one that carries the name.
            command: `hyperfine -N --runs 5 --warmup 1 -n work/deep './work --quiet' 'true'`,
          },
        ],
        'profile-budget': 60,
      };
      makeRepo(
        repo,
        { 'work.c': source('work.c'), 'benchgate.config.json': JSON.stringify(config) },
        { 'work.c': doubled(source('work.c')) },
      );
      const out = join(work, 'hyperfine-out');
      const r = await runCli(compareArgs(out), { cwd: repo });
      expect(r.code, r.stderr).toBe(1);
      const report = JSON.parse(r.stdout) as RunReport;
      const b = report.benchmarks.find((x) => x.name === 'hyperfine/work/deep');
      expect(b?.verdict?.kind, `${b?.verdict?.reason}`).toBe('regressed');
      const p = b?.countProfile;
      expect(p?.note, p?.note).toBeUndefined();
      expect(p).toMatchObject({ unit: 'instructions', profiler: 'callgrind' });
      const first = p!.top[0]!;
      expect(first).toMatchObject({ function: 'leaf', file: 'work.c' });
      expect(first.headPerCall / first.basePerCall).toBeGreaterThan(1.95);
      expect(first.headPerCall / first.basePerCall).toBeLessThan(2.05);
      expect(p!.top.slice(1).every((l) => l.deltaPerCall < first.deltaPerCall / 10)).toBe(true);
      for (const side of ['base', 'head'] as const) {
        const path = p!.files![side];
        expect(path).toMatch(new RegExp(`^benchgate-profiles/hyperfine/work/deep/callgrind\\.out\\.${side}\\.\\d+$`));
        // The profiled process is the C program itself, not hyperfine: its own costs are millions.
        const text = readFileSync(join(out, path), 'utf8');
        expect(callgrindSelfCosts(text, path).reduce((sum, c) => sum + c.ir, 0)).toBeGreaterThan(1_000_000);
      }
      const profiling = report.settings.profiling as { profiled: string[] };
      expect(profiling.profiled).toContain('hyperfine/work/deep');
    },
    300_000,
  );
});
