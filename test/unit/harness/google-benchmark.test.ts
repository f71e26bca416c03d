import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HarnessError, type Executed, type HarnessContext } from '../../../src/harness/adapter.js';
import {
  benchmarkFilter,
  CPU_SECONDS,
  googleBenchmarkAdapter,
  measureOfCounter,
  parseGoogleBenchmarkJson,
} from '../../../src/harness/google-benchmark.js';
import { isMeasureName } from '../../../src/model.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/harness/google-benchmark');
const fixture = (file: string) => readFileSync(join(FIXTURES, file), 'utf8');
const parse = (text: string) => parseGoogleBenchmarkJson(text, 'the report');

/** `actual` equals `expected` up to the rounding of a unit conversion. */
function expectClose(actual: number | null | undefined, expected: number) {
  expect(typeof actual).toBe('number');
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(Math.abs(expected) * 1e-12);
}

/** The error `parse(text)` throws. */
function parseError(text: string): HarnessError {
  try {
    parse(text);
  } catch (e) {
    expect(e).toBeInstanceOf(HarnessError);
    return e as HarnessError;
  }
  throw new Error('expected a HarnessError');
}

/** The captured single run with its `benchmarks` edited. */
function editedSingle(edit: (benchmarks: Record<string, unknown>[]) => void): string {
  const doc = JSON.parse(fixture('single.json')) as { benchmarks: Record<string, unknown>[] };
  edit(doc.benchmarks);
  return JSON.stringify(doc);
}

describe('parseGoogleBenchmarkJson', () => {
  it('reads a captured single run: names with their suffixes, real time in seconds, CPU time, counters', () => {
    const figures = parse(fixture('single.json'));
    expect(figures.map((f) => f.name)).toEqual([
      'BM_Sum/8',
      'BM_Sum/64',
      'BM_StringAppend/threads:2',
      'BM_Copy',
      'BM_CountEven',
      'BM_Broken',
    ]);
    const [sum8, sum64, threads, copy, countEven, broken] = figures;

    expectClose(sum8?.seconds, 5.845750853631639e-9);
    expectClose(sum8?.values[CPU_SECONDS], 3.2549162287039198e-9);
    expect(sum8?.values['items/s']).toBe(2457820551.4018807);
    expect(Object.keys(sum8!.values).sort()).toEqual([CPU_SECONDS, 'items/s']);
    expect(sum8?.samples).toBe(1);
    expect(sum8?.failure).toBeUndefined();

    expectClose(sum64?.seconds, 6.149492978888056e-8);
    expect(sum64?.values['items/s']).toBe(2433857769.2188025);

    expectClose(threads?.seconds, 1.0799701694513817e-7);
    expectClose(threads?.values[CPU_SECONDS], 6.243975623101123e-8);
    expect(Object.keys(threads!.values)).toEqual([CPU_SECONDS]);

    // BM_Copy reports in microseconds.
    expectClose(copy?.seconds, 2.881257934873915e-7);
    expectClose(copy?.values[CPU_SECONDS], 1.977872212284377e-7);
    expect(copy?.values.throughput).toBe(20709123544.78784);

    expectClose(countEven?.seconds, 3.805746857106536e-9);
    expect(countEven?.values['counter:evens']).toBe(16);

    expect(broken).toEqual({
      name: 'BM_Broken',
      seconds: null,
      values: {},
      failure: { state: 'errored', reason: 'fixture file missing' },
    });
    for (const f of figures) for (const m of Object.keys(f.values)) expect(isMeasureName(m)).toBe(true);
  });

  it('takes the median of the repetitions of a captured --benchmark_repetitions=3 run, per figure, samples 3', () => {
    const figures = parse(fixture('repetitions.json'));
    expect(figures.map((f) => f.name)).toEqual([
      'BM_Sum/8',
      'BM_Sum/64',
      'BM_StringAppend/threads:2',
      'BM_Copy',
      'BM_CountEven',
      'BM_Broken',
    ]);
    const sum8 = figures[0]!;
    // Repetitions at 4.495, 8.374 and 7.574 ns: the median is the third.
    expectClose(sum8.seconds, 7.57354252215846e-9);
    expectClose(sum8.values[CPU_SECONDS], 5.0014068976233e-9);
    expect(sum8.values['items/s']).toBe(1599549919.404008);
    expect(sum8.samples).toBe(3);
    // BM_Copy's medians come from different repetitions: real time from the first, the others from the second.
    const copy = figures[3]!;
    expectClose(copy.seconds, 1.1573568944963165e-7);
    expectClose(copy.values[CPU_SECONDS], 7.300914982597658e-8);
    expect(copy.values.throughput).toBe(56102557141.99054);
    expect(figures[4]?.values['counter:evens']).toBe(16);
    expect(figures[5]?.failure).toEqual({ state: 'errored', reason: 'fixture file missing' });

    // The same as Google Benchmark's own median aggregates in the file.
    const doc = JSON.parse(fixture('repetitions.json')) as {
      benchmarks: { run_name: string; aggregate_name?: string; real_time: number; time_unit: string }[];
    };
    const scale = { ns: 1e-9, us: 1e-6 } as Record<string, number>;
    for (const agg of doc.benchmarks.filter((b) => b.aggregate_name === 'median'))
      expectClose(figures.find((f) => f.name === agg.run_name)?.seconds, agg.real_time * scale[agg.time_unit]!);
  });

  it('reads the median aggregates where the report holds aggregates only', () => {
    const figures = parse(fixture('aggregates-only.json'));
    expect(figures.map((f) => f.name)).toEqual([
      'BM_Sum/8',
      'BM_Sum/64',
      'BM_StringAppend/threads:2',
      'BM_Copy',
      'BM_CountEven',
      'BM_Broken',
    ]);
    const [sum8, , threads, copy, countEven, broken] = figures;
    expectClose(sum8?.seconds, 6.2679325129272525e-9);
    expect(sum8?.values['items/s']).toBe(1861104147.1187155);
    expect(sum8?.samples).toBe(3);
    expectClose(threads?.seconds, 1.1236049272968989e-7);
    expectClose(copy?.seconds, 8.86551864509687e-8);
    expectClose(copy?.values[CPU_SECONDS], 6.106951266382155e-8);
    expect(copy?.values.throughput).toBe(67071109975.08465);
    expectClose(countEven?.seconds, 3.462494514059795e-9);
    expect(countEven?.values['counter:evens']).toBe(16);
    // Errored runs are written even with aggregates only.
    expect(broken?.failure).toEqual({ state: 'errored', reason: 'fixture file missing' });
  });

  it('reads bare NaN and -Infinity, leaves those counters out and sanitises the others, with no pollution', () => {
    const [f, ...rest] = parse(fixture('hostile-counters.json'));
    expect(rest).toEqual([]);
    expect(f?.name).toBe('BM_N');
    expect(f?.values).toEqual({
      [CPU_SECONDS]: f?.values[CPU_SECONDS],
      'counter:__proto__': 2,
      'counter:a_b_c': 1,
    });
    expectClose(f?.seconds, 8.019997039809823e-16);
    expect(Object.getPrototypeOf(f?.values)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reports a benchmark skipped with a message (the `skipped` field of Google Benchmark 1.8+) as skipped', () => {
    const text = editedSingle((bs) => {
      const broken = bs.find((b) => b.name === 'BM_Broken')!;
      delete broken.error_occurred;
      delete broken.error_message;
      Object.assign(broken, { skipped: true, skip_message: 'needs AVX-512' });
    });
    expect(parse(text).at(-1)?.failure).toEqual({ state: 'skipped', reason: 'needs AVX-512' });
  });

  it('converts every time unit to seconds', () => {
    for (const [unit, scale] of [
      ['ns', 1e-9],
      ['us', 1e-6],
      ['ms', 1e-3],
      ['s', 1],
    ] as const) {
      const text = editedSingle((bs) => Object.assign(bs[0]!, { time_unit: unit }));
      expectClose(parse(text)[0]?.seconds, 5.845750853631639 * scale);
    }
  });

  it('leaves out negative counters and counters it cannot name, and ignores strings', () => {
    const text = editedSingle((bs) =>
      Object.assign(bs[4]!, { net_heap_growth: -64, '': 3, '///': 4, ['x'.repeat(65)]: 5, label: 'hello' }),
    );
    expect(Object.keys(parse(text)[4]!.values).sort()).toEqual(['counter:evens', CPU_SECONDS]);
  });

  it('maps the memory manager figures to allocations and peak memory', () => {
    const text = editedSingle((bs) => Object.assign(bs[4]!, { allocs_per_iter: 2, max_bytes_used: 4096 }));
    expect(parse(text)[4]?.values).toMatchObject({ allocations: 2, 'peak-memory': 4096 });
  });

  it('fails naming what is wrong with a malformed report', () => {
    expect(parseError('{"benchmarks": [').message).toMatch(/^google-benchmark: the report is not valid JSON/);
    expect(parseError('[]').message).toBe('google-benchmark: the report is not a JSON object');
    expect(parseError('{"context": {}}').message).toBe("google-benchmark: the report has no 'benchmarks' array");
    expect(parseError('{"benchmarks": [1]}').message).toBe(
      'google-benchmark: the report has benchmarks[0] that is not an object',
    );
    const cases: [(bs: Record<string, unknown>[]) => void, string][] = [
      [(bs) => delete bs[1]!.name, 'has benchmarks[1].name that is not a non-empty string'],
      [(bs) => (bs[1]!.run_name = 7), 'has benchmarks[1].run_name that is not a non-empty string'],
      [(bs) => (bs[1]!.name = 'a\nb'), 'has benchmarks[1].name with a control character'],
      [(bs) => (bs[1]!.name = 'x'.repeat(1001)), 'has benchmarks[1].name longer than 1000 characters'],
      [(bs) => (bs[2]!.run_type = 'warmup'), `has benchmarks[2].run_type "warmup", not 'iteration' or 'aggregate'`],
      [(bs) => (bs[3]!.time_unit = 'xs'), 'has benchmarks[3].time_unit "xs", not one of ns, us, ms, s'],
      [(bs) => delete bs[3]!.time_unit, 'has benchmarks[3].time_unit undefined, not one of ns, us, ms, s'],
      [
        (bs) => (bs[3]!.time_unit = 'constructor'),
        'has benchmarks[3].time_unit "constructor", not one of ns, us, ms, s',
      ],
      [(bs) => (bs[0]!.real_time = -1), 'has benchmarks[0].real_time that is not a non-negative number'],
      [(bs) => (bs[0]!.real_time = '5'), 'has benchmarks[0].real_time that is not a non-negative number'],
      [(bs) => delete bs[0]!.cpu_time, 'has benchmarks[0].cpu_time that is not a non-negative number'],
      [(bs) => (bs[5]!.error_occurred = 'yes'), 'has benchmarks[5].error_occurred that is not true or false'],
      [
        (bs) => Object.assign(bs[1]!, { name: 'BM_Sum/8', run_name: 'BM_Sum/8' }),
        "reports benchmark 'BM_Sum/8' twice (benchmarks[0] and benchmarks[1] are different benchmarks)",
      ],
    ];
    const aggregates = JSON.parse(fixture('aggregates-only.json')) as { benchmarks: Record<string, unknown>[] };
    const sum64Median = aggregates.benchmarks.find((b) => b.name === 'BM_Sum/64_median')!;
    Object.assign(sum64Median, { name: 'BM_Sum/8_median', run_name: 'BM_Sum/8' });
    expect(parseError(JSON.stringify(aggregates)).message).toBe(
      "google-benchmark: the report reports benchmark 'BM_Sum/8' twice (benchmarks[1] and benchmarks[5] are both its median)",
    );
    for (const [edit, message] of cases)
      expect(parseError(editedSingle(edit)).message).toBe(`google-benchmark: the report ${message}`);
  });

  it('does not take NaN inside a string for a number', () => {
    const text = editedSingle((bs) => (bs[5]!.error_message = 'got NaN and -Infinity "quoted"'));
    expect(parse(text)[5]?.failure?.reason).toBe('got NaN and -Infinity "quoted"');
  });
});

describe('benchmarkFilter', () => {
  it('anchors the names and escapes what the POSIX extended syntax would read, but ] and }', () => {
    expect(benchmarkFilter(['BM_Sum/8', 'BM_StringAppend/threads:2'])).toBe('^(BM_Sum/8|BM_StringAppend/threads:2)$');
    expect(benchmarkFilter(['BM_Odd(a+b)[0]|x.y*{2}?^$\\z'])).toBe(
      '^(BM_Odd\\(a\\+b\\)\\[0]\\|x\\.y\\*\\{2}\\?\\^\\$\\\\z)$',
    );
    const re = new RegExp(benchmarkFilter(['BM_Odd(a+b)[0]|x.y*{2}?^$\\z', 'BM_A.b']));
    expect(['BM_Odd(a+b)[0]|x.y*{2}?^$\\z', 'BM_A.b', 'BM_AXb', 'BM_A.b/2'].map((n) => re.test(n))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('measureOfCounter', () => {
  it('names counters as measures, or null when it cannot', () => {
    expect(measureOfCounter('bytes_per_second')).toBe('throughput');
    expect(measureOfCounter('items_per_second')).toBe('items/s');
    expect(measureOfCounter('evens')).toBe('counter:evens');
    expect(measureOfCounter('cache misses/op')).toBe('counter:cache_misses_op');
    expect(measureOfCounter('toString')).toBe('counter:toString');
    expect(measureOfCounter('')).toBeNull();
    expect(measureOfCounter('/ /')).toBeNull();
    expect(measureOfCounter('x'.repeat(65))).toBeNull();
  });
});

describe('googleBenchmarkAdapter.run', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  /** A context whose `exec` records the command line and plays the part of the binary. */
  function context(only: string[] | null, binary: (outFile: string) => Partial<Executed>) {
    const tempDir = mkdtempSync(join(tmpdir(), 'gbench-unit-'));
    dirs.push(tempDir);
    const commands: string[] = [];
    const ctx: HarnessContext = {
      command: './build/bench --benchmark_min_time=0.01',
      cwd: tempDir,
      tempDir,
      only,
      exec: (commandLine) => {
        commands.push(commandLine);
        const r = binary(join(tempDir, 'out.json'));
        return Promise.resolve({ code: 0, stdout: '', stderr: '', seconds: 0.1, killed: null, ...r });
      },
    };
    return { ctx, commands, tempDir };
  }

  it('appends the JSON output flags and reads the report', async () => {
    const { ctx, commands, tempDir } = context(null, (out) => (copyFileSync(join(FIXTURES, 'single.json'), out), {}));
    const figures = await googleBenchmarkAdapter.run(ctx);
    expect(commands).toEqual([
      `./build/bench --benchmark_min_time=0.01 --benchmark_out=${join(tempDir, 'out.json')} --benchmark_out_format=json`,
    ]);
    expect(figures).toHaveLength(6);
  });

  it('translates `only` to a quoted, anchored --benchmark_filter', async () => {
    const { ctx, commands } = context(['BM_Sum/8', 'BM_StringAppend/threads:2'], (out) => {
      copyFileSync(join(FIXTURES, 'single.json'), out);
      return {};
    });
    await googleBenchmarkAdapter.run(ctx);
    expect(commands[0]).toMatch(/ '--benchmark_filter=\^\(BM_Sum\/8\|BM_StringAppend\/threads:2\)\$'$/);
  });

  it('runs nothing for an empty `only`', async () => {
    const { ctx, commands } = context([], () => ({}));
    expect(await googleBenchmarkAdapter.run(ctx)).toEqual([]);
    expect(commands).toEqual([]);
  });

  it('gives no figures when the filter matched nothing (the captured empty report)', async () => {
    const { ctx } = context(['BM_Nope'], (out) => {
      copyFileSync(join(FIXTURES, 'no-match.json'), out);
      return { stderr: fixture('no-match.console.txt') };
    });
    expect(await googleBenchmarkAdapter.run(ctx)).toEqual([]);
  });

  it('fails naming the command when the report is missing, empty or the binary fails', async () => {
    const missing = context(null, () => ({ stdout: 'hello' }));
    await expect(googleBenchmarkAdapter.run(missing.ctx)).rejects.toThrow(
      `google-benchmark: \`./build/bench --benchmark_min_time=0.01\` wrote no JSON report to ${join(missing.tempDir, 'out.json')}`,
    );
    const empty = context(null, (out) => (writeFileSync(out, ''), { stderr: 'Could not compile benchmark re' }));
    await expect(googleBenchmarkAdapter.run(empty.ctx)).rejects.toThrow(
      'google-benchmark: `./build/bench --benchmark_min_time=0.01` left its JSON report empty:\nCould not compile benchmark re',
    );
    const crashed = context(null, () => ({ code: 1, stderr: 'error: unrecognized command-line flag' }));
    await expect(googleBenchmarkAdapter.run(crashed.ctx)).rejects.toThrow(/exited with code 1:\nerror: unrecognized/);
    const garbage = context(null, (out) => (writeFileSync(out, '{"benchmarks": 3}'), {}));
    await expect(googleBenchmarkAdapter.run(garbage.ctx)).rejects.toThrow(
      "google-benchmark: the JSON report of `./build/bench --benchmark_min_time=0.01` has no 'benchmarks' array",
    );
  });
});
