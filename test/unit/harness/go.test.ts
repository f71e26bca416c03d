/** The go adapter's parser, -bench pattern and command on captured `go test -bench` output (test/fixtures/harness/go). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Executed, HarnessContext } from '../../../src/harness/adapter.js';
import { HarnessError } from '../../../src/harness/adapter.js';
import { goAdapter, goBenchPattern, parseGoTestOutput } from '../../../src/harness/go.js';
import { MAX_BENCHMARKS } from '../../../src/harness/run-once.js';
import { ROOT } from '../../helpers.js';

const fixture = (name: string) => readFileSync(join(ROOT, 'test', 'fixtures', 'harness', 'go', name), 'utf8');
const CHECKSUM = 'example.com/benchgate-example/checksum';
const TEXTUTIL = 'example.com/benchgate-example/textutil';
/** Seconds from Go's ns/op, as the adapter converts them. */
const ns = (x: number) => x / 1e9;

function byName(text: string) {
  return new Map(parseGoTestOutput(text).map((f) => [f.name, f]));
}

/** A Go result block: the verbose name line, then its result line. */
const block = (name: string, result: string) => `pkg: p\n${name}\n${name}-2\t${result}\nPASS\nok  \tp\t0.1s\n`;

describe('parseGoTestOutput', () => {
  it('reads every benchmark of a plain run: names without the -2 suffix, units converted', () => {
    const figures = parseGoTestOutput(fixture('plain.txt'));
    expect(figures.map((f) => f.name)).toEqual([
      `${CHECKSUM}/BenchmarkFletcher16`,
      `${CHECKSUM}/BenchmarkFrames`,
      `${TEXTUTIL}/BenchmarkRepeat/n=64`,
      `${TEXTUTIL}/BenchmarkRepeat/n=1024`,
      `${TEXTUTIL}/BenchmarkRepeat/chunk-4`,
      `${TEXTUTIL}/BenchmarkNeedsGPU`,
      `${TEXTUTIL}/BenchmarkFlaky`,
    ]);
    const f = new Map(figures.map((x) => [x.name, x]));
    const fletcher = f.get(`${CHECKSUM}/BenchmarkFletcher16`);
    expect(fletcher?.seconds).toBe(ns(44359));
    expect(fletcher?.samples).toBe(1);
    expect(Object.keys(fletcher?.values ?? {}).sort()).toEqual(['allocated', 'allocations', 'throughput']);
    expect(fletcher?.values.throughput).toBeCloseTo(92.34e6, 0);
    expect(fletcher?.values.allocated).toBe(0);
    expect(fletcher?.values.allocations).toBe(0);
    expect(f.get(`${CHECKSUM}/BenchmarkFrames`)).toEqual({
      name: `${CHECKSUM}/BenchmarkFrames`,
      seconds: ns(54682),
      values: { 'frames/op': 16, allocated: 0, allocations: 0 },
      samples: 1,
    });
    expect(f.get(`${TEXTUTIL}/BenchmarkRepeat/n=1024`)).toMatchObject({
      seconds: ns(112468),
      values: { allocated: 19456, allocations: 2 },
    });
    // A sub-benchmark whose own name ends in -<digits> keeps it; only Go's -2 goes.
    expect(f.get(`${TEXTUTIL}/BenchmarkRepeat/chunk-4`)).toMatchObject({
      seconds: ns(500.5),
      values: { allocated: 80, allocations: 2 },
    });
    expect(f.get(`${TEXTUTIL}/BenchmarkNeedsGPU`)).toEqual({
      name: `${TEXTUTIL}/BenchmarkNeedsGPU`,
      seconds: null,
      values: {},
      failure: { state: 'skipped', reason: 'textutil_test.go:26: no GPU on this machine' },
    });
    expect(f.get(`${TEXTUTIL}/BenchmarkFlaky`)).toEqual({
      name: `${TEXTUTIL}/BenchmarkFlaky`,
      seconds: ns(258.5),
      values: { allocated: 144, allocations: 2 },
      samples: 1,
    });
  });

  it('gives the median of each figure over -count=3 lines, with samples = 3', () => {
    const f = byName(fixture('count3.txt'));
    const fletcher = f.get(`${CHECKSUM}/BenchmarkFletcher16`);
    expect(fletcher?.samples).toBe(3);
    expect(fletcher?.seconds).toBe(ns(37344)); // 36215, 37344, 40207
    expect(fletcher?.values.throughput).toBeCloseTo(109.68e6, 0); // 113.10, 109.68, 101.87
    expect(f.get(`${TEXTUTIL}/BenchmarkRepeat/n=1024`)?.seconds).toBe(ns(27189)); // 27189, 26057, 27191
    expect(f.get(`${TEXTUTIL}/BenchmarkRepeat/chunk-4`)?.seconds).toBe(ns(289.6)); // 342.8, 289.6, 211.7
    expect(f.get(`${TEXTUTIL}/BenchmarkFlaky`)).toMatchObject({ seconds: ns(280.3), samples: 3 });
    expect(f.size).toBe(7);
  });

  it('reads names without a suffix when GOMAXPROCS is 1', () => {
    const f = byName(fixture('procs1.txt'));
    expect(f.get(`${CHECKSUM}/BenchmarkFletcher16`)?.seconds).toBe(ns(42715));
    expect(f.get(`${TEXTUTIL}/BenchmarkRepeat/chunk-4`)?.seconds).toBe(ns(374.3));
    expect(f.get(`${TEXTUTIL}/BenchmarkFlaky`)?.seconds).toBe(ns(537.4));
    expect(f.size).toBe(7);
  });

  it('reports a b.Fatal as errored with its message, and keeps the benchmarks that ran', () => {
    const f = byName(fixture('fail.txt'));
    expect(f.get(`${TEXTUTIL}/BenchmarkFlaky`)).toEqual({
      name: `${TEXTUTIL}/BenchmarkFlaky`,
      seconds: null,
      values: {},
      failure: { state: 'errored', reason: 'textutil_test.go:36: BENCHGATE_EXAMPLE_FAIL is set' },
    });
    expect(f.get(`${TEXTUTIL}/BenchmarkRepeat/chunk-4`)?.seconds).toBe(ns(215.7));
    expect(f.get(`${CHECKSUM}/BenchmarkFletcher16`)?.failure).toBeUndefined();
    expect(f.size).toBe(7);
  });

  it('reports the benchmark a panic killed as errored with the panic', () => {
    const f = byName(fixture('panic.txt'));
    expect(f.get(`${TEXTUTIL}/BenchmarkFlaky`)?.failure).toEqual({
      state: 'errored',
      reason: 'panic: BENCHGATE_EXAMPLE_FAIL is panic',
    });
    expect(f.get(`${TEXTUTIL}/BenchmarkNeedsGPU`)?.failure?.state).toBe('skipped');
    expect(f.get(`${TEXTUTIL}/BenchmarkRepeat/chunk-4`)?.seconds).toBe(ns(515.4));
  });

  it("keeps Go's printed names when -cpu runs one benchmark at several GOMAXPROCS", () => {
    const f = byName(fixture('cpu-list.txt'));
    expect([...f.keys()]).toEqual([
      `${TEXTUTIL}/BenchmarkRepeat/n=64`,
      `${TEXTUTIL}/BenchmarkRepeat/n=64-2`,
      `${TEXTUTIL}/BenchmarkRepeat/n=1024`,
      `${TEXTUTIL}/BenchmarkRepeat/n=1024-2`,
      `${TEXTUTIL}/BenchmarkRepeat/chunk-4`,
      `${TEXTUTIL}/BenchmarkRepeat/chunk-4-2`,
      `${TEXTUTIL}/BenchmarkNeedsGPU`,
      `${TEXTUTIL}/BenchmarkFlaky`,
      `${TEXTUTIL}/BenchmarkFlaky-2`,
    ]);
    expect(f.get(`${TEXTUTIL}/BenchmarkRepeat/chunk-4`)).toMatchObject({
      seconds: (ns(608.3) + ns(648.4)) / 2,
      samples: 2,
    });
    expect(f.get(`${TEXTUTIL}/BenchmarkRepeat/chunk-4-2`)).toMatchObject({
      seconds: (ns(327.2) + ns(249.3)) / 2,
      samples: 2,
    });
  });

  it('reads go test -json output, whose events split lines, by package', () => {
    const f = byName(fixture('json.txt'));
    expect(f.size).toBe(7);
    // 58002 and 58685 ns/op; the second line came in two events.
    expect(f.get(`${CHECKSUM}/BenchmarkFletcher16`)).toMatchObject({
      seconds: (ns(58002) + ns(58685)) / 2,
      samples: 2,
    });
    expect(f.get(`${CHECKSUM}/BenchmarkFletcher16`)?.values.throughput).toBeCloseTo(((70.62 + 69.8) / 2) * 1e6, 0);
    expect(f.get(`${TEXTUTIL}/BenchmarkRepeat/n=1024`)?.seconds).toBe((ns(32159) + ns(39908)) / 2);
    expect(f.get(`${TEXTUTIL}/BenchmarkNeedsGPU`)?.failure?.state).toBe('skipped');
  });

  it('reads a narrowed run: only the benchmarks the pattern chose', () => {
    expect([...byName(fixture('narrowed.txt')).keys()]).toEqual([
      `${CHECKSUM}/BenchmarkFrames`,
      `${TEXTUTIL}/BenchmarkRepeat/chunk-4`,
    ]);
  });

  it('reads nothing from non-verbose output, where the GOMAXPROCS suffix cannot be told apart', () => {
    expect(parseGoTestOutput(fixture('plain-not-verbose.txt'))).toEqual([]);
  });

  it('names a ReportMetric unit by itself when it is a measure name, else as a sanitised counter, and drops the rest', () => {
    const [f] = parseGoTestOutput(
      block(
        'BenchmarkX',
        '10\t5.000 ns/op\t3.000 items/s\t2.000 ns/frame\t1.000 time\t7.000 %\t-3.000 neg/op\tNaN nan/op\t+Inf inf/op\t4.000 __proto__',
      ),
    );
    expect(f?.name).toBe('p/BenchmarkX');
    expect(f?.seconds).toBe(ns(5));
    expect(f?.values).toEqual({
      'items/s': 3,
      'counter:ns_frame': 2,
      'counter:time': 1,
      'counter:__proto__': 4,
    });
    expect(({} as Record<string, unknown>).counter).toBeUndefined();
  });

  it('gives seconds null when the benchmark suppressed ns/op', () => {
    const [f] = parseGoTestOutput(block('BenchmarkX', '10\t16.00 frames/op'));
    expect(f).toMatchObject({ seconds: null, values: { 'frames/op': 16 }, samples: 1 });
  });

  it('ignores a result-like line that no name line announced (a benchmark printing to stdout)', () => {
    const text = 'pkg: p\nBenchmarkA\nBenchmarkZ-2\t10\t1.000 ns/op\nBenchmarkA-2\t10\t2.000 ns/op\nok  \tp\t1s\n';
    expect(parseGoTestOutput(text).map((f) => [f.name, f.seconds])).toEqual([['p/BenchmarkA', ns(2)]]);
  });

  it('throws a HarnessError naming the benchmark when its result line is malformed', () => {
    expect(() => parseGoTestOutput(block('BenchmarkX', 'many\t5 ns/op'))).toThrow(
      /go: the result line of 'BenchmarkX' has 'many' where the iteration count should be/,
    );
    expect(() => parseGoTestOutput(block('BenchmarkX', '10\t5 ns/op\t7'))).toThrow(
      /value without its unit \('5 ns\/op 7'\)/,
    );
    expect(() => parseGoTestOutput(block('BenchmarkX', '10\tfast ns/op'))).toThrow(
      /has 'fast' where the number of ns\/op should be/,
    );
    expect(() => parseGoTestOutput(block('BenchmarkX', '10\t5 ns/op\t7'))).toThrow(HarnessError);
  });

  it('throws a HarnessError naming the line of bad -json output', () => {
    const good = '{"Action":"output","Package":"p","Output":"pkg: p\\n"}';
    expect(() => parseGoTestOutput(`${good}\n{"Action": oops}\n`)).toThrow(
      /go: line 2 of the -json output is not JSON/,
    );
    expect(() => parseGoTestOutput(`${good}\n{"Action":"output","Package":"p","Output":5}\n`)).toThrow(
      /line 2 of the -json output has an 'Output' that is not a string/,
    );
    expect(() => parseGoTestOutput(`${good}\n{"Action":"output","Package":[],"Output":""}\n`)).toThrow(/'Package'/);
    expect(() => parseGoTestOutput(`${good}\n[1]\n`)).toThrow(/line 2 of the -json output is not an event object/);
  });

  it('stops at more than MAX_BENCHMARKS benchmarks', () => {
    const lines = ['pkg: p'];
    for (let i = 0; i <= MAX_BENCHMARKS; i++) lines.push(`BenchmarkB${i}`, `BenchmarkB${i}\t1\t1 ns/op`);
    expect(() => parseGoTestOutput(lines.join('\n'))).toThrow(/go: reported more than 10000 benchmarks/);
  });
});

describe('goBenchPattern', () => {
  it('anchors and escapes each level, shallower alternatives first', () => {
    expect(
      goBenchPattern([
        'example.com/benchgate-example/textutil/BenchmarkRepeat/n=64',
        'example.com/benchgate-example/checksum/BenchmarkFrames',
        'example.com/x/BenchmarkY/a.b(c)|d',
      ]),
    ).toBe('^BenchmarkFrames$|^BenchmarkRepeat$/^n=64$|^BenchmarkY$/^a\\.b\\(c\\)\\|d$');
  });

  it('also matches the name without a trailing -<digits>, which may be a -cpu suffix', () => {
    expect(goBenchPattern(['p/BenchmarkRepeat/chunk-4'])).toBe('^BenchmarkRepeat$/^chunk$|^BenchmarkRepeat$/^chunk-4$');
  });

  it('tries every level that can start the benchmark name, as import paths have any depth', () => {
    expect(goBenchPattern(['example.com/BenchmarkSuite/BenchmarkX'])).toBe(
      '^BenchmarkX$|^BenchmarkSuite$/^BenchmarkX$',
    );
  });

  it('gives null (run everything) for a name that has no Benchmark level', () => {
    expect(goBenchPattern(['p/BenchmarkA', 'p/TestA'])).toBeNull();
    expect(goBenchPattern(['Benchmarkfoo/bar'])).toBeNull();
  });
});

describe('goAdapter', () => {
  const ran = (r: Partial<Executed>) => {
    const commands: string[] = [];
    const ctx = (only: string[] | null): HarnessContext => ({
      command: 'go test -run ^$ -bench . ./...',
      cwd: '/nowhere',
      tempDir: '/nowhere',
      only,
      exec: (commandLine) => {
        commands.push(commandLine);
        return Promise.resolve({ code: 0, stdout: '', stderr: '', seconds: 1, killed: null, ...r });
      },
    });
    return { commands, ctx };
  };

  it('appends -test.v=true, and -test.bench quoted for sh when narrowed', async () => {
    const { commands, ctx } = ran({ stdout: fixture('narrowed.txt') });
    await goAdapter.run(ctx(null));
    const figures = await goAdapter.run(ctx([`${CHECKSUM}/BenchmarkFrames`]));
    expect(commands).toEqual([
      'go test -run ^$ -bench . ./... -test.v=true',
      "go test -run ^$ -bench . ./... -test.v=true -test.bench='^BenchmarkFrames$'",
    ]);
    expect(figures).toHaveLength(2);
  });

  it('leaves -test.v out when the command has -json, which is verbose already', async () => {
    const commands: string[] = [];
    await goAdapter.run({
      command: 'go test -json -run ^$ -bench . ./...',
      cwd: '/nowhere',
      tempDir: '/nowhere',
      only: null,
      exec: (commandLine) => {
        commands.push(commandLine);
        return Promise.resolve({ code: 0, stdout: fixture('json.txt'), stderr: '', seconds: 1, killed: null });
      },
    });
    expect(commands).toEqual(['go test -json -run ^$ -bench . ./...']);
  });

  it('returns what ran when go test exits 1 for a failing benchmark', async () => {
    const { ctx } = ran({ code: 1, stdout: fixture('fail.txt') });
    const figures = await goAdapter.run(ctx(null));
    expect(figures.filter((f) => f.failure?.state === 'errored').map((f) => f.name)).toEqual([
      `${TEXTUTIL}/BenchmarkFlaky`,
    ]);
  });

  it('throws a HarnessError with the output when nothing ran', async () => {
    await expect(goAdapter.run(ran({ code: 1, stderr: 'x.go:3: undefined: y\n' }).ctx(null))).rejects.toThrow(
      /go: `go test .* -test.v=true` exited with code 1 before any benchmark ran:\nx.go:3: undefined: y/,
    );
    await expect(goAdapter.run(ran({ stdout: 'PASS\nok  \tp\t0.1s\n' }).ctx(null))).rejects.toThrow(
      /ran no benchmarks/,
    );
    await expect(goAdapter.run(ran({ code: null, killed: 'timed out after 60 s' }).ctx(null))).rejects.toThrow(
      /go: `.*` timed out after 60 s/,
    );
  });

  it('runs nothing for an empty list of names', async () => {
    const { commands, ctx } = ran({});
    expect(await goAdapter.run(ctx([]))).toEqual([]);
    expect(commands).toEqual([]);
  });
});
