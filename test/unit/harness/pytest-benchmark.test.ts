/**
 * The pytest-benchmark adapter on output captured from real pytest-benchmark runs
 * (test/fixtures/harness/pytest-benchmark, see its README): the figures in the files, failures
 * from pytest's summary, the `-k` selection, and malformed or hostile reports.
 */
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HarnessError, type Executed, type HarnessContext } from '../../../src/harness/adapter.js';
import {
  keywordSelection,
  parseFailedTests,
  parsePytestBenchmarkJson,
  pytestBenchmarkAdapter,
  pytestBenchmarkCommand,
  readPytestBenchmarkReport,
} from '../../../src/harness/pytest-benchmark.js';
import { isMeasureName } from '../../../src/model.js';
import { ROOT, tempDir } from '../../helpers.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'harness', 'pytest-benchmark');
const COMMAND = '/usr/bin/python3 -m pytest benchmarks -q';

/** A run of the adapter whose command "runs" by replaying a captured run (its JSON, output and exit code). */
async function replay(
  captured: string,
  only: string[] | null = null,
  change: Partial<Executed> = {},
): Promise<{ figures: Awaited<ReturnType<typeof pytestBenchmarkAdapter.run>>; commandLine: string; env: unknown }> {
  const dir = join(FIXTURES, captured);
  const seen: { commandLine: string; env: unknown } = { commandLine: '', env: undefined };
  const ctx: HarnessContext = {
    command: COMMAND,
    cwd: dir,
    tempDir: tempDir('benchgate-pytest-unit-'),
    only,
    exec: async (commandLine, o) => {
      seen.commandLine = commandLine;
      seen.env = o?.env;
      if (existsSync(join(dir, 'out.json'))) copyFileSync(join(dir, 'out.json'), join(ctx.tempDir, 'out.json'));
      return {
        code: Number(readFileSync(join(dir, 'exit-code'), 'utf8')),
        stdout: readFileSync(join(dir, 'stdout.txt'), 'utf8'),
        stderr: readFileSync(join(dir, 'stderr.txt'), 'utf8'),
        seconds: 1,
        killed: null,
        ...change,
      };
    },
  };
  const figures = await pytestBenchmarkAdapter.run(ctx);
  return { figures, ...seen };
}

/** The error `promise` rejects with, checked to be a HarnessError. */
async function harnessError(promise: Promise<unknown>): Promise<string> {
  const e = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(HarnessError);
  return (e as HarnessError).message;
}

function report(benchmarks: unknown): string {
  return JSON.stringify({ benchmarks });
}

function bench(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { fullname: 'benchmarks/test_k.py::test_a', stats: { median: 0.5, rounds: 3 }, extra_info: {}, ...over };
}

describe('pytestBenchmarkAdapter', () => {
  it('is the pytest-benchmark harness with names prefixed pytest', () => {
    expect(pytestBenchmarkAdapter.harness).toBe('pytest-benchmark');
    expect(pytestBenchmarkAdapter.prefix).toBe('pytest');
  });

  it('reads every benchmark of the example run: node ids, median seconds, rounds, numeric extra_info', async () => {
    const { figures, commandLine, env } = await replay('example');
    expect(figures).toEqual([
      {
        name: 'benchmarks/test_kernels.py::test_checksum[1k]',
        seconds: 7.232499956444371e-5,
        samples: 505,
        values: { 'counter:items': 1000 },
      },
      {
        name: 'benchmarks/test_kernels.py::test_checksum[10k]',
        seconds: 0.000756994499170105,
        samples: 62,
        values: { 'counter:items': 10000 },
      },
      { name: 'benchmarks/test_kernels.py::test_sort', seconds: 4.012499994132668e-5, samples: 795, values: {} },
    ]);
    expect(commandLine).toMatch(
      /^\/usr\/bin\/python3 -m pytest benchmarks -q --benchmark-json=\S+\/out\.json --benchmark-only --benchmark-enable -rfE$/,
    );
    expect(env).toEqual({ COLUMNS: '500' });
  });

  it('reports failed benchmarks errored with pytest reason, timed or not, and the others as measured', async () => {
    const { figures } = await replay('cases');
    const byName = new Map(figures.map((f) => [f.name, f]));
    expect(figures.map((f) => f.name)).toEqual([
      'benchmarks/test_cases.py::test_sum[small-100]',
      'benchmarks/test_cases.py::test_sum[big 2k]',
      'benchmarks/test_cases.py::test_ids[a.b/c]',
      'benchmarks/test_cases.py::test_ids[x(1)]',
      'benchmarks/test_cases.py::test_ids[or]',
      'benchmarks/test_cases.py::test_extra_info',
      'benchmarks/test_cases.py::test_pedantic',
      'benchmarks/test_cases.py::test_wrong_result',
      'benchmarks/test_cases.py::test_raises_while_timed',
      'benchmarks/test_cases.py::test_setup_error',
    ]);
    expect(byName.get('benchmarks/test_cases.py::test_sum[big 2k]')).toEqual({
      name: 'benchmarks/test_cases.py::test_sum[big 2k]',
      seconds: 3.2310999813489616e-5,
      samples: 148,
      values: {},
    });
    // pedantic: 4 rounds of 10 iterations; pytest-benchmark's median is already per call.
    expect(byName.get('benchmarks/test_cases.py::test_pedantic')).toMatchObject({
      seconds: 1.482834995840676e-5,
      samples: 4,
    });
    expect(byName.get('benchmarks/test_cases.py::test_raises_while_timed')).toEqual({
      name: 'benchmarks/test_cases.py::test_raises_while_timed',
      seconds: null,
      values: {},
      failure: { state: 'errored', reason: 'ValueError: kernel gave up at step 3' },
    });
    expect(byName.get('benchmarks/test_cases.py::test_wrong_result')).toEqual({
      name: 'benchmarks/test_cases.py::test_wrong_result',
      seconds: 3.62699938705191e-7,
      samples: 660,
      values: {},
      failure: { state: 'errored', reason: 'AssertionError: checksum mismatch' },
    });
    expect(byName.get('benchmarks/test_cases.py::test_setup_error')?.failure).toEqual({
      state: 'errored',
      reason: 'RuntimeError: dataset missing',
    });
  });

  it('keeps numeric extra_info as counters with sanitised names, dropping booleans, text, negatives and overlong keys', async () => {
    const { figures } = await replay('cases');
    const values = figures.find((f) => f.name === 'benchmarks/test_cases.py::test_extra_info')?.values;
    expect(values).toEqual({
      'counter:items': 100,
      'counter:ratio': 0.25,
      'counter:hit_rate_': 3,
      'counter:__proto__': 7,
    });
    expect(Object.keys(values ?? {}).every(isMeasureName)).toBe(true);
    expect(Object.getPrototypeOf(values)).toBe(Object.prototype);
  });

  it('narrows to `only` with -k and reports the selected benchmark that failed before it was timed', async () => {
    const only = ['benchmarks/test_cases.py::test_raises_while_timed'];
    const { figures, commandLine } = await replay('only-failed', only);
    expect(commandLine).toMatch(/ -k '\(test_cases\.py and test_raises_while_timed\)'$/);
    expect(figures).toEqual([
      {
        name: 'benchmarks/test_cases.py::test_raises_while_timed',
        seconds: null,
        values: {},
        failure: { state: 'errored', reason: 'ValueError: kernel gave up at step 3' },
      },
    ]);
  });

  it('fails on a collection error with the exit code and the end of pytest output', async () => {
    const message = await harnessError(replay('collect-error'));
    expect(message).toMatch(/^pytest-benchmark: `.*-rfE` exited with code 2: pytest was interrupted/);
    expect(message).toContain("ModuleNotFoundError: No module named 'not_a_module_that_exists'");
    expect(message).toContain('Interrupted: 1 error during collection');
  });

  it('fails on exit code 1 when the summary names no failed test', async () => {
    const message = await harnessError(replay('example', null, { code: 1 }));
    expect(message).toContain('exited with code 1 but its summary names no failed test');
  });

  it('fails when it was killed, saying why', async () => {
    const message = await harnessError(replay('example', null, { code: null, killed: 'timed out after 60 s' }));
    expect(message).toMatch(/-rfE` timed out after 60 s:\n/);
  });

  it('fails when no benchmark ran, unless a selection matched nothing that is left', async () => {
    const message = await harnessError(replay('collect-error', null, { code: 0, stdout: '1 skipped', stderr: '' }));
    expect(message).toContain('ran no benchmarks (no test used the `benchmark` fixture)');
    const gone = ['benchmarks/test_cases.py::test_removed'];
    expect((await replay('collect-error', gone, { code: 5, stdout: '11 deselected', stderr: '' })).figures).toEqual([]);
    expect(await harnessError(replay('collect-error', null, { code: 5 }))).toContain(
      'exited with code 5: pytest collected no tests',
    );
  });

  it('runs nothing for an empty selection', async () => {
    let ran = false;
    const figures = await pytestBenchmarkAdapter.run({
      command: COMMAND,
      cwd: FIXTURES,
      tempDir: tempDir(),
      only: [],
      exec: () => {
        ran = true;
        throw new Error('not to be run');
      },
    });
    expect(figures).toEqual([]);
    expect(ran).toBe(false);
  });
});

describe('pytestBenchmarkCommand', () => {
  it('appends the flags quoted for sh, and -k only for a selection', () => {
    expect(pytestBenchmarkCommand('pytest b', '/tmp/a b/out.json', null)).toBe(
      "pytest b '--benchmark-json=/tmp/a b/out.json' --benchmark-only --benchmark-enable -rfE",
    );
    expect(pytestBenchmarkCommand('pytest b', '/tmp/o.json', ['b/test_k.py::test_grid[40M]'])).toBe(
      "pytest b --benchmark-json=/tmp/o.json --benchmark-only --benchmark-enable -rfE -k '(test_k.py and test_grid[40M])'",
    );
  });
});

describe('keywordSelection', () => {
  it('selects each test by file and name where -k can spell them', () => {
    expect(
      keywordSelection([
        'benchmarks/test_cases.py::test_ids[a.b/c]',
        'benchmarks/test_cases.py::test_ids[or]',
        'benchmarks/test_cases.py::TestGrid::test_fill[40M-f64]',
      ]),
    ).toBe(
      '(test_cases.py and test_ids[a.b/c]) or (test_cases.py and test_ids[or]) or (test_cases.py and test_fill[40M-f64])',
    );
  });

  it('falls back to the function name for ids -k cannot spell, once for all of them', () => {
    expect(
      keywordSelection([
        'benchmarks/test_cases.py::test_sum[big 2k]',
        'benchmarks/test_cases.py::test_ids[x(1)]',
        'benchmarks/test_cases.py::test_ids[caf\\xe9]',
      ]),
    ).toBe('(test_cases.py and test_sum) or (test_cases.py and test_ids)');
    expect(keywordSelection(['my benchmarks/test k.py::test_a'])).toBe('test_a');
  });

  it('selects everything when a name cannot be narrowed or the expression would be too long', () => {
    expect(keywordSelection(['benchmarks/test_cases.py'])).toBeNull();
    expect(keywordSelection(['benchmarks/test_cases.py::tést_a'])).toBeNull();
    expect(keywordSelection(['benchmarks/test_cases.py::or'])).toBeNull();
    const many = Array.from({ length: 2000 }, (_, i) => `benchmarks/test_cases.py::test_number_${i}`);
    expect(keywordSelection(many)).toBeNull();
  });
});

describe('parseFailedTests', () => {
  it('reads FAILED and ERROR lines of the short summary only, not a file that failed to collect', () => {
    const output = [
      'FAILED benchmarks/test_k.py::test_printed - a test printed this above the summary',
      '=== short test summary info ===',
      'FAILED benchmarks/test_k.py::test_a[x - y] - ValueError: bad - very bad',
      'ERROR benchmarks/test_k.py::test_b',
      'ERROR benchmarks/test_k.py::test_a[x - y] - teardown too',
      'ERROR benchmarks/test_broken.py - ImportError: nope',
      'FAILED my benchmarks/test k.py::test_c[big 2k] - AssertionError',
      '1 failed, 1 error in 0.1s',
    ].join('\n');
    expect([...parseFailedTests(output)]).toEqual([
      ['benchmarks/test_k.py::test_a[x - y]', 'ValueError: bad - very bad'],
      ['benchmarks/test_k.py::test_b', 'errored'],
      ['my benchmarks/test k.py::test_c[big 2k]', 'AssertionError'],
    ]);
  });

  it('finds nothing without the summary heading', () => {
    expect(parseFailedTests('FAILED benchmarks/test_k.py::test_a - no heading').size).toBe(0);
  });
});

describe('parsePytestBenchmarkJson', () => {
  it('names what is wrong in a malformed report', () => {
    const cases: [string, RegExp][] = [
      ['{"benchmarks": [', /report is not JSON/],
      ['[]', /has no 'benchmarks' list/],
      ['{"benchmarks": {}}', /has no 'benchmarks' list/],
      [report([7]), /benchmarks\[0\] is not an object \(got 7\)/],
      [report([bench(), bench({ fullname: '' })]), /benchmarks\[1\]\.fullname is not a node id/],
      [report([bench({ fullname: 'a\u0007b' })]), /benchmarks\[0\]\.fullname is not a node id/],
      [report([bench({ fullname: 'x'.repeat(1001) })]), /benchmarks\[0\]\.fullname .*got "xxx/],
      [report([bench({ stats: [] })]), /benchmarks\[0\]\.stats is not an object/],
      [report([bench({ stats: { median: '1' } })]), /benchmarks\[0\]\.stats\.median is not .* \(got "1"\)/],
      [report([bench({ stats: { median: -1 } })]), /stats\.median is not a non-negative number \(got -1\)/],
      [report([bench({ stats: { rounds: 2 } })]), /stats\.median .*\(got nothing\)/],
      [report([bench({ stats: { median: 1, rounds: 1.5 } })]), /stats\.rounds is not a positive integer/],
      [report([bench({ extra_info: [1] })]), /benchmarks\[0\]\.extra_info is not an object/],
    ];
    for (const [text, problem] of cases) {
      let message = '';
      try {
        parsePytestBenchmarkJson(text);
      } catch (e) {
        expect(e).toBeInstanceOf(HarnessError);
        message = (e as Error).message;
      }
      expect(message).toMatch(/^pytest-benchmark: /);
      expect(message).toMatch(problem);
    }
  });

  it("reads Python's NaN and Infinity as no value: dropped from extra_info, an error as the median", () => {
    const text =
      '{"benchmarks": [{"fullname": "b/t.py::test_NaN[Infinity]", "stats": {"median": 1e-3, "rounds": 2},' +
      ' "extra_info": {"nan": NaN, "inf": Infinity, "ninf": -Infinity, "ok": 2}}]}';
    expect(parsePytestBenchmarkJson(text)).toEqual([
      { name: 'b/t.py::test_NaN[Infinity]', seconds: 1e-3, samples: 2, values: { 'counter:ok': 2 } },
    ]);
    expect(() => parsePytestBenchmarkJson('{"benchmarks": [{"fullname": "a::b", "stats": {"median": NaN}}]}')).toThrow(
      /stats\.median is not a non-negative number \(got null\)/,
    );
  });

  it('keeps the first of counters whose names collide, and at most 64', () => {
    const extra = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`c${i}`, i]));
    const [many] = parsePytestBenchmarkJson(report([bench({ extra_info: { 'a b': 1, a_b: 2, ...extra } })]));
    expect(many?.values['counter:a_b']).toBe(1);
    expect(Object.keys(many?.values ?? {})).toHaveLength(64);
  });

  it('leaves Object.prototype alone whatever the keys', () => {
    const text =
      '{"benchmarks": [{"fullname": "a::b", "stats": {"median": 1}, "extra_info": {"__proto__": {"x": 1}}}]}';
    const [f] = parsePytestBenchmarkJson(text);
    expect(f?.values).toEqual({});
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('readPytestBenchmarkReport', () => {
  it('skips the per-round timings, also where they straddle chunks, and keeps the figures', () => {
    const path = join(FIXTURES, 'cases', 'out.json');
    const full = JSON.parse(readFileSync(path, 'utf8')) as { benchmarks: { stats: { data: number[] } }[] };
    expect(full.benchmarks[0]?.stats.data.length).toBe(625);
    const whole = readPytestBenchmarkReport(path) ?? '';
    expect(whole.length).toBeLessThan(readFileSync(path, 'utf8').length / 5);
    expect(readPytestBenchmarkReport(path, 7)).toBe(whole);
    const stripped = JSON.parse(whole) as typeof full;
    for (const b of full.benchmarks) b.stats.data = [];
    expect(stripped).toEqual(full);
  });

  it('reads no report from a missing or empty file (pytest creates it empty when it starts)', () => {
    const dir = tempDir();
    expect(readPytestBenchmarkReport(join(dir, 'out.json'))).toBeNull();
    writeFileSync(join(dir, 'out.json'), '');
    expect(readPytestBenchmarkReport(join(dir, 'out.json'))).toBeNull();
  });

  it('keeps multi-byte characters split between chunks whole', () => {
    const path = join(tempDir(), 'out.json');
    writeFileSync(path, report([bench({ fullname: 'b/t.py::test_π[ünï]', stats: { median: 1, data: [1, 2] } })]));
    expect(parsePytestBenchmarkJson(readPytestBenchmarkReport(path, 3) ?? '')[0]?.name).toBe('b/t.py::test_π[ünï]');
  });
});
