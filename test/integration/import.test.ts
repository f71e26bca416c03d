import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchmarkResult, RunReport } from '../../src/model.js';
import { ROOT, runCli, tempDir } from '../helpers.js';

/** The captured output of each harness (see the README.md in each folder). */
const FIXTURES = join(ROOT, 'test', 'fixtures', 'harness');
const fixture = (path: string) => join(FIXTURES, path);

/** `benchgate import` in a fresh folder (no git, no config file) into `db`. */
async function importing(db: string, args: string[]) {
  const cwd = tempDir();
  return runCli(['import', '--db', db, '--project', 'imported', ...args], { cwd });
}

async function imported(db: string, args: string[]): Promise<Record<string, BenchmarkResult> & { report: RunReport }> {
  const r = await importing(db, [...args, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const report = JSON.parse(r.stdout) as RunReport;
  return Object.assign(Object.fromEntries(report.benchmarks.map((b) => [b.name, b])), { report });
}

const measure = (b: BenchmarkResult | undefined, name: string) => b?.measures.find((m) => m.measure === name)?.median;

const GO = 'go/example.com/benchgate-example/';

describe('benchgate import', () => {
  it('stores go test output files as one history run, a file a round, and judges a second import against the first', async () => {
    const db = join(tempDir(), 'h.db');
    const files = ['go/plain.txt', 'go/count3.txt', 'go/procs1.txt'].map(fixture);
    const args = ['--harness', 'go', '--testbed', 'ci-ubuntu', ...files];
    const first = await imported(db, args);
    expect(first.report).toMatchObject({ kind: 'history', project: 'imported', base: null });
    expect(first.report.testbed).toMatchObject({ cpuModel: 'ci-ubuntu' });
    expect(first.report.settings).toMatchObject({ rounds: 3, imported: { files, testbed: 'ci-ubuntu' } });
    expect(first.report.benchmarks.map((b) => b.name).sort()).toEqual(
      [
        'checksum/BenchmarkFletcher16',
        'checksum/BenchmarkFrames',
        'textutil/BenchmarkFlaky',
        'textutil/BenchmarkNeedsGPU',
        'textutil/BenchmarkRepeat/chunk-4',
        'textutil/BenchmarkRepeat/n=1024',
        'textutil/BenchmarkRepeat/n=64',
      ].map((n) => GO + n),
    );
    const fletcher = first[`${GO}checksum/BenchmarkFletcher16`];
    // 44359 ns/op in plain.txt, the median of 36215, 37344 and 40207 in count3.txt, 42715 in procs1.txt.
    expect(fletcher?.measurements.map((m) => [m.round, m.medianSeconds, m.samples])).toEqual([
      [1, 44359e-9, 1],
      [2, 37344e-9, 3],
      [3, 42715e-9, 1],
    ]);
    expect(fletcher?.medianSeconds).toBeCloseTo(42715e-9, 15);
    expect(measure(fletcher, 'throughput')).toBeCloseTo(95.89e6, 3);
    expect(measure(fletcher, 'allocated')).toBe(0);
    expect(measure(first[`${GO}checksum/BenchmarkFrames`], 'frames/op')).toBe(16);
    expect(first[`${GO}textutil/BenchmarkNeedsGPU`]).toMatchObject({ state: 'skipped' });
    expect(fletcher?.verdict).toMatchObject({ kind: 'inconclusive', reason: expect.stringMatching(/0 previous runs/) });

    const second = await imported(db, args);
    const again = second[`${GO}checksum/BenchmarkFletcher16`];
    expect(again?.baselineMedianSeconds).toBeCloseTo(42715e-9, 15);
    expect(again?.verdict).toMatchObject({
      method: 'history-robust-t',
      reason: expect.stringMatching(/1 previous run /),
    });
    expect(again?.measures.find((m) => m.measure === 'allocated')?.baselineMedian).toBe(0);
  });

  it('keeps a named testbed apart from another name, and records the given commit and branch', async () => {
    const db = join(tempDir(), 'h.db');
    const file = fixture('hyperfine/basic.json');
    await imported(db, ['--harness', 'hyperfine', '--testbed', 'box-a', file]);
    const other = await imported(db, ['--harness', 'hyperfine', '--testbed', 'box-b', file]);
    expect(other['hyperfine/sleep 0.01']?.baselineMedianSeconds).toBeNull();
    const sha = 'a'.repeat(40);
    const same = await imported(db, [
      '--harness',
      'hyperfine',
      '--testbed',
      'box-a',
      '--sha',
      sha,
      '--ref',
      'main',
      file,
    ]);
    expect(same.report.head).toMatchObject({ sha, ref: 'main', dirty: false });
    expect(same['hyperfine/sleep 0.01']).toMatchObject({
      medianSeconds: 0.011839561,
      baselineMedianSeconds: 0.011839561,
    });
    expect(same['hyperfine/sleep 0.01']?.measurements[0]?.samples).toBe(5);
    expect(same['hyperfine/sleep 0.02']?.medianSeconds).toBeCloseTo(0.021658292, 12);
  });

  it('reads pytest-benchmark reports: node ids, median seconds, rounds and extra_info counters', async () => {
    const db = join(tempDir(), 'h.db');
    const got = await imported(db, [
      '--harness',
      'pytest-benchmark',
      '--testbed',
      'ci',
      fixture('pytest-benchmark/example/out.json'),
    ]);
    const b = got['pytest/benchmarks/test_kernels.py::test_checksum[1k]'];
    expect(b).toMatchObject({ state: 'completed', medianSeconds: 7.232499956444371e-5 });
    expect(b?.measurements[0]?.samples).toBe(505);
    expect(measure(b, 'counter:items')).toBe(1000);
    expect(got['pytest/benchmarks/test_kernels.py::test_sort']?.medianSeconds).toBe(4.012499994132668e-5);
  });

  it('reads vitest bench reports: the median per call in seconds and the sample count', async () => {
    const db = join(tempDir(), 'h.db');
    const got = await imported(db, ['--harness', 'vitest', '--testbed', 'ci', fixture('vitest/all.json')]);
    const numeric = got['vitest/bench/sort.bench.ts > sort > numeric compare'];
    expect(numeric?.medianSeconds).toBeCloseTo(0.160030499999948 / 1000, 15);
    expect(numeric?.measurements[0]?.samples).toBe(398);
    expect(Object.keys(got)).toContain('vitest/bench/strings.bench.ts > join > with separator > comma');
  });

  it('reads Google Benchmark reports: real time per iteration in seconds, counters, errors', async () => {
    const db = join(tempDir(), 'h.db');
    const got = await imported(db, [
      '--harness',
      'google-benchmark',
      '--testbed',
      'ci',
      fixture('google-benchmark/single.json'),
      fixture('google-benchmark/repetitions.json'),
    ]);
    const sum = got['gbench/BM_Sum/8'];
    // single.json's real_time, and the median of repetitions.json's three repetitions (ns).
    expect(sum?.measurements.map((m) => m.medianSeconds)).toEqual([5.845750853631639 * 1e-9, 7.573542522158459 * 1e-9]);
    expect(sum?.measurements.map((m) => m.samples)).toEqual([1, 3]);
    // items_per_second: 2457820551.4018807, then the median of three repetitions, 1599549919.404008.
    expect(measure(sum, 'items/s')).toBeCloseTo((2457820551.4018807 + 1599549919.404008) / 2, 3);
    expect(measure(sum, 'cpu-seconds/op')).toBeGreaterThan(0);
    expect(got['gbench/BM_Copy']?.measurements[0]?.medianSeconds).toBeCloseTo(0.28812579348739153 * 1e-6, 18);
    expect(got['gbench/BM_Broken']).toMatchObject({ state: 'errored' });
  });

  it("reads benchgate's json documents, wrapped or bare, and applies --filter", async () => {
    const db = join(tempDir(), 'h.db');
    const files = [fixture('json/wrapped.json'), fixture('json/bare.json')];
    const got = await imported(db, ['--harness', 'json', '--testbed', 'ci', ...files]);
    expect(
      Object.keys(got)
        .filter((k) => k !== 'report')
        .sort(),
    ).toEqual(['json/json/roundtrip', 'json/sort/1k', 'json/sorted/100k']);
    expect(got['json/sort/1k']).toMatchObject({ medianSeconds: 0.00026367913499999985 });
    expect(measure(got['json/sort/1k'], 'peak-memory')).toBe(50548736);
    expect(measure(got['json/json/roundtrip'], 'bytes/op')).toBe(61);
    expect(got['json/sorted/100k']?.measurements.map((m) => m.round)).toEqual([2]);
    const filtered = await imported(db, ['--harness', 'json', '--testbed', 'ci', '--filter', 'json/sort*', ...files]);
    expect(
      Object.keys(filtered)
        .filter((k) => k !== 'report')
        .sort(),
    ).toEqual(['json/sort/1k', 'json/sorted/100k']);
  });

  describe('refuses bad input with exit 2, naming the file, and stores nothing', () => {
    const good = fixture('json/wrapped.json');
    const dir = tempDir();
    const db = join(dir, 'h.db');
    const digest = () => createHash('sha256').update(readFileSync(db)).digest('hex');
    let before = '';

    const write = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };

    const refused = async (args: string[], message: RegExp) => {
      if (before === '') {
        await imported(db, ['--harness', 'json', '--testbed', 'ci', good]);
        before = digest();
      }
      const r = await importing(db, args);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.code).toBe(2);
      expect(digest()).toBe(before);
    };

    it('a missing file, after a good one', async () => {
      const missing = join(dir, 'nope.json');
      await refused(
        ['--harness', 'json', '--testbed', 'ci', good, missing],
        new RegExp(`import: ${missing}: no such file`),
      );
    });

    it('a folder', async () => {
      mkdirSync(join(dir, 'folder'));
      await refused(['--harness', 'json', '--testbed', 'ci', join(dir, 'folder')], /folder: is not a plain file/);
    });

    it('a file over the size cap', async () => {
      const big = write('big.json', '');
      truncateSync(big, 256 * 1024 * 1024 + 1);
      await refused(
        ['--harness', 'json', '--testbed', 'ci', big],
        /big\.json: is 268435457 bytes, more than 268435456/,
      );
    });

    it('an empty file (hyperfine leaves its export empty when a command fails)', async () => {
      const empty = fixture('hyperfine/aborted-empty.json');
      await refused(['--harness', 'hyperfine', '--testbed', 'ci', empty], /aborted-empty\.json: is empty/);
    });

    it('a file that is not JSON', async () => {
      const broken = write('broken.json', '{"benchmarks": [');
      await refused(
        ['--harness', 'google-benchmark', '--testbed', 'ci', fixture('google-benchmark/single.json'), broken],
        /broken\.json is not valid JSON/,
      );
    });

    it('a figure that is not a number, at its key', async () => {
      const bad = write('bad.json', '{"x": {"time": "fast"}}');
      await refused(
        ['--harness', 'json', '--testbed', 'ci', bad],
        /bad\.json \["x"\]\["time"\]: must be a non-negative number/,
      );
    });

    it('a hostile json document: __proto__ is a name like any other, a bad measure name is refused', async () => {
      const hostile = write('hostile.json', '{"__proto__": {"time": 1, "constructor": 2}}');
      await refused(
        ['--harness', 'json', '--testbed', 'ci', hostile],
        /hostile\.json \["__proto__"\]\["constructor"\]: not a measure/,
      );
    });

    it('go output without -v or -json', async () => {
      await refused(
        ['--harness', 'go', '--testbed', 'ci', fixture('go/plain-not-verbose.txt')],
        /plain-not-verbose\.txt holds no benchmark benchgate can read \(it needs the output of `go test -bench` with -v or -json/,
      );
    });

    it('a file of another harness', async () => {
      await refused(
        ['--harness', 'hyperfine', '--testbed', 'ci', fixture('google-benchmark/single.json')],
        /hyperfine: the --export-json file has no results\[\] list/,
      );
    });

    it('no --testbed, an unknown harness, the command harness, no file', async () => {
      await refused(['--harness', 'json', good], /--testbed is required/);
      await refused(['--harness', 'cargo', '--testbed', 'ci', good], /--harness must be one of pytest-benchmark, /);
      await refused(['--harness', 'command', '--testbed', 'ci', good], /--harness must be one of/);
      await refused(['--harness', 'json', '--testbed', 'ci'], /name at least one file/);
      await refused(['--harness', 'json', '--testbed', 'ci', '--sha', 'zz', good], /--sha must be a commit's hex SHA/);
      await refused(['--harness', 'json', '--testbed', 'ci', '--sha', 'abcdef', good], /no commit of this checkout/);
    });
  });
});
