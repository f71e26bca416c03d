/**
 * Each example project in examples/, as a user would gate it: copied into a git repository made
 * here, a commit that makes one benchmark do twice the work (real code), and `benchgate compare`
 * between the two with the example's own harness, really run on both revisions every round. The
 * slowed benchmark, and only it, is regressed; base against itself flags nothing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/model.js';
import { exampleHarness, ROOT, runCli, tempDir } from '../helpers.js';

const works = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;

interface Example {
  name: string;
  folder: string;
  /** Appended to the example's command: shorter timing, so that a round takes seconds. */
  quicker: string;
  build?: string;
  /** The edit that doubles one benchmark's work. */
  file: string;
  from: string;
  to: string;
  slowed: string[];
  needs: string;
  available: boolean;
}

const EXAMPLES: Example[] = [
  {
    name: 'pytest-benchmark',
    folder: 'pytest-benchmark',
    quicker: '--benchmark-max-time=0.05 --benchmark-min-rounds=5',
    file: 'benchmarks/test_kernels.py',
    from: 'for i in range(1_000)]',
    to: 'for i in range(2_000)]',
    slowed: ['pytest/benchmarks/test_kernels.py::test_sort'],
    needs: 'Debian python3-pytest-benchmark',
    available: works('/usr/bin/python3', ['-c', 'import pytest_benchmark']),
  },
  {
    name: 'go',
    folder: 'go',
    quicker: '-benchtime=20ms',
    file: 'checksum/checksum_test.go',
    from: 'data := make([]byte, 4096)',
    to: 'data := make([]byte, 8192)',
    slowed: ['go/example.com/benchgate-example/checksum/BenchmarkFletcher16'],
    needs: 'go',
    available: works('go', ['version']),
  },
  {
    name: 'google-benchmark',
    folder: 'google-benchmark',
    quicker: '--benchmark_min_time=0.02',
    file: 'bench.cc',
    from: "std::vector<char> src(4096, 'a'), dst(4096);",
    to: "std::vector<char> src(8192, 'a'), dst(8192);",
    slowed: ['gbench/BM_Copy'],
    needs: 'cmake and Debian libbenchmark-dev',
    available: works('cmake', ['--version']) && existsSync('/usr/include/benchmark/benchmark.h'),
  },
  {
    name: 'vitest',
    folder: 'vitest',
    quicker: '',
    // The copy finds vitest in this repository's node_modules.
    build: `ln -sfn ${JSON.stringify(join(ROOT, 'node_modules'))} node_modules`,
    file: 'bench/sort.bench.ts',
    from: 'numbers.slice().sort((a, b) => a - b);',
    to: 'numbers.concat(numbers).sort((a, b) => a - b);',
    slowed: ['vitest/bench/sort.bench.ts > sort > numeric compare'],
    needs: 'node',
    available: true,
  },
  {
    name: 'json',
    folder: 'command/json',
    quicker: '',
    file: 'bench.mjs',
    from: 'const numbers = Array.from({ length: 1000 }',
    to: 'const numbers = Array.from({ length: 2000 }',
    slowed: ['json/sort/1k'],
    needs: 'node',
    available: true,
  },
];

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** A git repository holding a copy of the example: the base commit and the slowed one. */
function repositoryOf(ex: Example): { repo: string; work: string; base: string; slow: string } {
  const work = tempDir(`benchgate-example-${ex.name.replace(/\W/g, '-')}-`);
  const repo = join(work, 'repo');
  const source = join(ROOT, 'examples', ex.folder);
  cpSync(source, repo, {
    recursive: true,
    filter: (p) => !/\/(build|node_modules|target)(\/|$)/.test(p.slice(source.length)),
  });
  const harness = exampleHarness(source);
  const config = JSON.parse(readFileSync(join(source, 'benchgate.config.json'), 'utf8')) as Record<string, unknown>;
  config.harnesses = [{ ...(config.harnesses as object[])[0], command: `${harness.command} ${ex.quicker}`.trim() }];
  if (ex.build !== undefined) config['build-command'] = ex.build;
  writeFileSync(join(repo, 'benchgate.config.json'), JSON.stringify(config, null, 2));
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.email', 'test@example.com');
  git(repo, 'config', 'user.name', 'test');
  git(repo, 'config', 'commit.gpgsign', 'false');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'base');
  const base = git(repo, 'rev-parse', 'HEAD');
  const text = readFileSync(join(repo, ex.file), 'utf8');
  if (!text.includes(ex.from)) throw new Error(`${ex.folder}/${ex.file} no longer contains ${JSON.stringify(ex.from)}`);
  writeFileSync(join(repo, ex.file), text.replace(ex.from, ex.to));
  git(repo, 'commit', '-q', '-am', 'twice the work');
  return { repo, work, base, slow: git(repo, 'rev-parse', 'HEAD') };
}

// Eight rounds at α = 0.05: a benchmark that is slower in every round reaches p = 2⁻⁸ (Holm over
// the example's few benchmarks stays under 0.05). Twice the work is +100%; a 25% threshold keeps a
// burst of load on a shared machine (Go's allocating benchmarks swing tens of percent there,
// docs/method/harnesses.md) from reading as a regression of identical code.
const flags = (work: string, n: string) => [
  '--json',
  '--alpha',
  '0.05',
  '--min-rounds',
  '8',
  '--max-rounds',
  '8',
  '--threshold',
  '25%',
  '--db',
  join(work, `${n}.db`),
  '--report-markdown',
  join(work, `${n}.md`),
  '--report-json',
  join(work, `${n}.json`),
];

const regressed = (r: RunReport) =>
  r.benchmarks
    .filter((b) => b.verdict?.kind === 'regressed')
    .map((b) => b.name)
    .sort();

for (const ex of EXAMPLES) {
  describe.skipIf(!ex.available)(`the ${ex.name} example (needs ${ex.needs})`, () => {
    it('compare flags exactly the benchmark whose work doubled, exit 1; base against itself flags nothing, exit 0', async () => {
      const { repo, work, base, slow } = repositoryOf(ex);
      const r = await runCli(['compare', '--base', base, '--head', slow, ...flags(work, 'slow')], { cwd: repo });
      expect(r.code, r.stderr).toBe(1);
      const report = JSON.parse(r.stdout) as RunReport;
      expect(regressed(report)).toEqual(ex.slowed);
      expect(report.benchmarks.length).toBeGreaterThan(ex.slowed.length);
      const same = await runCli(['compare', '--base', base, '--head', base, ...flags(work, 'same')], { cwd: repo });
      expect(same.code, same.stderr).toBe(0);
      expect(regressed(JSON.parse(same.stdout) as RunReport)).toEqual([]);
    }, 600_000);
  });
}
