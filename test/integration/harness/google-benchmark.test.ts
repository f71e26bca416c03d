import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HarnessEntry } from '../../../src/config/harnesses.js';
import { parseConfigText } from '../../../src/config/schema.js';
import { execShell } from '../../../src/harness/exec.js';
import { CPU_SECONDS, googleBenchmarkAdapter } from '../../../src/harness/google-benchmark.js';
import { runHarnessOnce } from '../../../src/harness/run-once.js';

const EXAMPLE = join(import.meta.dirname, '../../../examples/google-benchmark');
// Read with benchgate's own config loader, so the example's config is checked as a user's would be.
const config = parseConfigText(
  readFileSync(join(EXAMPLE, 'benchgate.config.json'), 'utf8'),
  'examples/google-benchmark/benchgate.config.json',
);
const buildCommand = config.buildCommand as string;
const harness = config.harnesses?.[0] as HarnessEntry;

// The example is copied to a temporary folder and configured there: configuring is what tells
// whether cmake, a C++ compiler and Google Benchmark's CMake package are all present.
const work = mkdtempSync(join(tmpdir(), 'benchgate-gbench-example-'));
cpSync(EXAMPLE, work, { recursive: true, filter: (src) => !src.endsWith('/build') });
const hasCmake = spawnSync('cmake', ['--version']).status === 0;
const configure = hasCmake ? spawnSync('cmake', ['-S', '.', '-B', 'build'], { cwd: work, encoding: 'utf8' }) : null;
const missing = !hasCmake
  ? 'cmake is missing'
  : configure?.status !== 0
    ? /"benchmark"|benchmarkConfig\.cmake/.test(`${configure?.stdout}${configure?.stderr}`)
      ? 'the Google Benchmark library (find_package(benchmark); Debian: libbenchmark-dev) is missing'
      : 'cmake cannot configure the example (is a C++ compiler missing?)'
    : null;
const skipped = missing === null ? '' : ` (skipped: ${missing})`;

describe('google-benchmark harness on examples/google-benchmark', () => {
  beforeAll(() => {
    if (missing !== null) return;
    const build = spawnSync('sh', ['-c', buildCommand], { cwd: work, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`building the example failed:\n${build.stdout}\n${build.stderr}`);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('the config builds with cmake and names this harness', () => {
    expect(buildCommand).toBe('cmake -S . -B build && cmake --build build');
    expect(config.harnesses).toHaveLength(1);
    expect(harness).toMatchObject({ harness: googleBenchmarkAdapter.harness, command: './build/bench' });
  });

  it.skipIf(missing !== null)(`runs the built binary once and reads every benchmark's figures${skipped}`, async () => {
    const figures = await runHarnessOnce(googleBenchmarkAdapter, {
      command: harness.command,
      cwd: work,
      only: null,
      timeoutMs: 60_000,
    });
    expect(figures.map((f) => f.name)).toEqual([
      'BM_Sum/8',
      'BM_Sum/64',
      'BM_StringAppend/threads:2',
      'BM_Copy',
      'BM_CountEven',
      'BM_Broken',
    ]);
    const byName = new Map(figures.map((f) => [f.name, f]));
    for (const f of figures.slice(0, 5)) {
      expect(f.failure).toBeUndefined();
      expect(f.samples).toBe(1);
      expect(f.seconds).toBeGreaterThan(0);
      expect(f.seconds).toBeLessThan(1e-3);
      expect(f.values[CPU_SECONDS]).toBeGreaterThan(0);
    }
    // Eight times the additions takes longer.
    expect(byName.get('BM_Sum/64')!.seconds!).toBeGreaterThan(byName.get('BM_Sum/8')!.seconds!);
    expect(byName.get('BM_Sum/8')!.values['items/s']).toBeGreaterThan(1e6);
    expect(byName.get('BM_Copy')!.values.throughput).toBeGreaterThan(1e8);
    expect(byName.get('BM_CountEven')!.values['counter:evens']).toBe(16);
    expect(byName.get('BM_Broken')).toEqual({
      name: 'BM_Broken',
      seconds: null,
      values: {},
      failure: { state: 'errored', reason: 'fixture file missing' },
    });
  });

  it.skipIf(missing !== null)(`runs only the benchmarks asked for, through its filter${skipped}`, async () => {
    const tempDir = mkdtempSync(join(tmpdir(), 'benchgate-gbench-out-'));
    try {
      // The adapter alone (runHarnessOnce would drop other benchmarks itself): only what the filter let run comes back.
      const figures = await googleBenchmarkAdapter.run({
        command: `${harness.command} --benchmark_repetitions=2 --benchmark_min_time=0.05`,
        cwd: work,
        tempDir,
        only: ['BM_StringAppend/threads:2', 'BM_Sum/8'],
        exec: (commandLine, e) => execShell(commandLine, { cwd: work, timeoutMs: 60_000, env: e?.env }),
      });
      expect(figures.map((f) => f.name)).toEqual(['BM_Sum/8', 'BM_StringAppend/threads:2']);
      for (const f of figures) {
        expect(f.samples).toBe(2);
        expect(f.seconds).toBeGreaterThan(0);
      }
    } finally {
      rmSync(tempDir, { recursive: true, force: true });
    }
  });
});
