/**
 * Differentials of counts per call — bytes allocated (V8's sampling heap profiles) and
 * instructions (callgrind) — without a process: the two readers on real and hostile input, the
 * differential, the comment's lines, the run file's validation, which profiles a regression gets,
 * and how each harness's benchmark is run under callgrind.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BenchmarkResult, CountProfile } from '../../../src/model.js';
import { callgrindSelfCosts } from '../../../src/profile/callgrind.js';
import { ProfileError } from '../../../src/profile/cpu-profile.js';
import { countDifferential, type SelfCount } from '../../../src/profile/differential.js';
import { cProfileSelfTimes, harnessProfilePlan } from '../../../src/profile/harness-profile.js';
import { checkHeapProfile } from '../../../src/profile/heap-profile.js';
import { profileKinds } from '../../../src/profile/profile-pass.js';
import { formatCountPerCall, profileLines } from '../../../src/report/markdown.js';
import { validateRun } from '../../../src/validate/run.js';

const fixture = (path: string) => readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8');

describe('callgrind output', () => {
  it('reads every function’s own instructions from a real file: they add up to its totals', () => {
    const text = fixture('callgrind/true.callgrind.out');
    const costs = callgrindSelfCosts(text, 'true.callgrind.out');
    const totals = Number(/^totals: (\d+)$/m.exec(text)?.[1]);
    expect(totals).toBe(126573);
    expect(costs.reduce((sum, c) => sum + c.ir, 0)).toBe(totals);
    // Names given once as `(id) name` are found again from `(id)` alone.
    expect(costs.every((c) => !/^\(\d+\)$/.test(c.function) && !/^\(\d+\)/.test(c.file))).toBe(true);
    expect(costs.some((c) => c.object.endsWith('ld-linux-x86-64.so.2'))).toBe(true);
  });

  const header = '# callgrind format\nversion: 1\ncreator: callgrind-3.19.0\npositions: line\nevents: Ir\n';

  it('leaves out the cost of calls, follows relative positions, and takes the line from the function’s own file', () => {
    const text = `${header}ob=(1) /bin/x
fl=(1) /src/x.c
fn=(1) middle
8 10
cfn=(2) leaf
calls=4 3
* 5000
+1 2
fn=(2)
5 3
-1 7
fi=(2) /usr/include/inline.h
2 100
fe=(1)
+4 9
`;
    expect(callgrindSelfCosts(text, 'x')).toEqual([
      { function: 'middle', file: '/src/x.c', object: '/bin/x', line: 8, ir: 12 },
      { function: 'leaf', file: '/src/x.c', object: '/bin/x', line: 4, ir: 119 },
    ]);
  });

  it('names the file and line of what it cannot read', () => {
    const bad = (text: string, message: RegExp) => {
      expect(() => callgrindSelfCosts(text, 'the head of x')).toThrow(ProfileError);
      expect(() => callgrindSelfCosts(text, 'the head of x')).toThrow(message);
    };
    bad('{"nodes": []}', /^the head of x: not a callgrind output file$/);
    bad(`${header}fn=(3)\n1 2\n`, /line 6 refers to \(3\), never named/);
    bad(`${header}fn=(3) f\n1 x\n`, /line 7 has a malformed cost/);
    bad(`${header}fn=(3) f\nbogus line\n`, /line 7 is not callgrind format/);
    bad(`${header}fn=(3) f\nq 1\n`, /line 7 is not callgrind format|malformed position/);
  });
});

describe('sampling heap profiles', () => {
  const frame = (functionName: string, lineNumber = 1) => ({
    functionName,
    url: 'file:///x.js',
    scriptId: '1',
    lineNumber,
    columnNumber: 0,
  });
  const good = () => ({
    head: {
      callFrame: frame('(root)', -1),
      selfSize: 0,
      id: 1,
      children: [{ callFrame: frame('f'), selfSize: 4096, id: 2, children: [] }],
    },
    samples: [{ size: 64, nodeId: 2, ordinal: 1 }],
  });

  it('reads each node with its own bytes and its caller', () => {
    const nodes = checkHeapProfile(good(), 'x');
    expect(nodes.map((n) => [n.frame.functionName, n.selfSize, n.parent?.frame.functionName ?? null])).toEqual([
      ['(root)', 0, null],
      ['f', 4096, '(root)'],
    ]);
  });

  it('reads a call tree deeper than the stack', () => {
    const root = good();
    let at = root.head.children[0]!;
    for (let i = 0; i < 50_000; i++) {
      const child = { callFrame: frame('g'), selfSize: 1, id: i + 3, children: [] };
      (at.children as unknown[]).push(child);
      at = child;
    }
    expect(checkHeapProfile(root, 'x')).toHaveLength(50_002);
  });

  it('names the profile and the field that is wrong', () => {
    const bad = (change: (p: ReturnType<typeof good>) => void, message: RegExp) => {
      const p = good();
      change(p);
      expect(() => checkHeapProfile(p, 'the head heap profile of x')).toThrow(message);
    };
    expect(() => checkHeapProfile([], 'the head heap profile of x')).toThrow(/not a sampling heap profile/);
    bad((p) => (p.head.children[0]!.selfSize = -1), /'head\.children\[0\]\.selfSize'.*≥ 0/);
    bad((p) => ((p.head as Record<string, unknown>).children = {}), /'head\.children'.*array/);
    bad((p) => ((p.head.children[0]!.callFrame as Record<string, unknown>).url = 3), /callFrame'\.url/);
  });
});

describe('the differential of counts', () => {
  const c = (name: string, perCall: number): SelfCount => ({ function: name, file: 'a.c', line: 3, perCall });

  it('lists growth only, largest first, five at most, above the share asked for', () => {
    expect(countDifferential([c('gone', 5), c('same', 1)], [c('new', 2), c('same', 1)])).toEqual([
      { function: 'new', file: 'a.c', line: 3, basePerCall: 0, headPerCall: 2, deltaPerCall: 2 },
    ]);
    const head = ['a', 'b', 'c', 'd', 'e', 'f'].map((n, i) => c(n, 10 - i));
    expect(countDifferential([], head).map((l) => l.function)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(countDifferential([], [c('big', 10_000), c('tiny', 5)]).map((l) => l.function)).toEqual(['big']);
    expect(countDifferential([], [c('big', 10_000), c('tiny', 5)], { minShare: 0 }).map((l) => l.function)).toEqual([
      'big',
      'tiny',
    ]);
  });
});

const COUNTS: CountProfile = {
  unit: 'instructions',
  profiler: 'callgrind',
  top: [
    { function: 'leaf', file: 'work.c', line: 8, basePerCall: 12e6, headPerCall: 24e6, deltaPerCall: 12e6 },
    { function: 'leaf(long)', file: 'bench.cc', line: 9, basePerCall: 0, headPerCall: 1500, deltaPerCall: 1500 },
    { function: 'f', file: '', line: 0, basePerCall: 1, headPerCall: 3, deltaPerCall: 2 },
  ],
  files: {
    base: 'benchgate-profiles/command/work/callgrind.out.base.123',
    head: 'benchgate-profiles/command/work/callgrind.out.head.456',
  },
  seconds: 3.2,
};

describe('count profiles in the comment', () => {
  it('formats a growth per call in its unit', () => {
    expect(formatCountPerCall(12e6, 'instructions')).toBe('+12 M instructions/call');
    expect(formatCountPerCall(512, 'instructions')).toBe('+512 instructions/call');
    expect(formatCountPerCall(153_600, 'bytes')).toBe('+154 kB/call allocated');
    expect(formatCountPerCall(2500, 'bytes')).toBe('+2.5 kB/call allocated');
  });

  it('lists the lines, escaped, and names a missing profiler', () => {
    expect(profileLines({ countProfile: COUNTS } as unknown as BenchmarkResult)).toEqual([
      '  - +12 M instructions/call in `leaf` (work.c:8)',
      '  - +1.5 k instructions/call in leaf\\(long\\) (bench.cc:9)',
      '  - +2 instructions/call in `f`',
    ]);
    const missing = {
      ...COUNTS,
      top: [],
      files: null,
      note: 'not profiled: callgrind was not found: valgrind is not on PATH',
    };
    expect(profileLines({ countProfile: missing } as unknown as BenchmarkResult)).toEqual([
      '  - not profiled: callgrind was not found: valgrind is not on PATH',
    ]);
    expect(profileLines({ countProfile: { ...COUNTS, top: [] } } as unknown as BenchmarkResult)).toEqual([
      '  - the callgrind profiles show no function whose instructions per call grew',
    ]);
  });
});

describe('validateRun: a result’s count profile', () => {
  const runWith = (countProfile: unknown) => {
    const raw = JSON.parse(fixture('report/compare-run-v1.json')) as { benchmarks: Record<string, unknown>[] };
    const run = JSON.parse(JSON.stringify(validateRun(raw))) as { benchmarks: Record<string, unknown>[] };
    run.benchmarks[0]!.countProfile = countProfile;
    return run;
  };

  it('keeps a well-formed one, and a heap profile’s files', () => {
    expect(validateRun(runWith(COUNTS)).benchmarks[0]?.countProfile).toEqual(COUNTS);
    const heap = {
      ...COUNTS,
      unit: 'bytes',
      profiler: 'V8 sampling heap profiler',
      files: { base: 'benchgate-profiles/a/b/base.heapprofile', head: 'benchgate-profiles/a/b/head.heapprofile' },
    };
    expect(validateRun(runWith(heap)).benchmarks[0]?.countProfile).toEqual(heap);
  });

  it('keeps a cProfile time profile, with its .prof files', () => {
    const raw = JSON.parse(fixture('report/compare-run-v1.json')) as { benchmarks: Record<string, unknown>[] };
    const run = JSON.parse(JSON.stringify(validateRun(raw))) as { benchmarks: Record<string, unknown>[] };
    const profile = {
      top: [{ function: 'leaf', file: 'test_deep.py', line: 6, baseMsPerCall: 1, headMsPerCall: 2, deltaMsPerCall: 1 }],
      files: { base: 'benchgate-profiles/pytest/t/base.prof', head: 'benchgate-profiles/pytest/t/head.prof' },
      seconds: 3,
      profiler: 'cProfile',
    };
    run.benchmarks[0]!.profile = profile;
    expect(validateRun(run).benchmarks[0]?.profile).toEqual(profile);
  });

  it('names the field that is wrong', () => {
    expect(() => validateRun(runWith({ ...COUNTS, unit: 'ms' }))).toThrow(/countProfile\.unit/);
    expect(() => validateRun(runWith({ ...COUNTS, files: { base: '/etc/passwd', head: COUNTS.files!.head } }))).toThrow(
      /countProfile\.files\.base/,
    );
    expect(() => validateRun(runWith({ ...COUNTS, top: [{ ...COUNTS.top[0], deltaPerCall: 'x' }] }))).toThrow(
      /countProfile\.top\[0\]\.deltaPerCall/,
    );
  });
});

describe('which profiles a regression gets', () => {
  const verdict = (kind: string) => ({ kind }) as BenchmarkResult['verdict'];
  const of = (time: string, measures: [string, string][]) =>
    ({
      verdict: verdict(time),
      measures: measures.map(([measure, kind]) => ({ measure, gated: true, verdict: verdict(kind) })),
    }) as unknown as BenchmarkResult;

  it('takes the CPU profile for time, the heap profile for allocated bytes or peak memory', () => {
    expect(profileKinds(of('regressed', []))).toEqual({ cpu: true, heap: false });
    expect(profileKinds(of('unchanged', [['allocated', 'regressed']]))).toEqual({ cpu: false, heap: true });
    expect(profileKinds(of('regressed', [['peak-memory', 'regressed']]))).toEqual({ cpu: true, heap: true });
    expect(profileKinds(of('unchanged', [['instructions', 'regressed']]))).toEqual({ cpu: true, heap: false });
  });
});

describe('harness benchmarks under callgrind', () => {
  it('runs a command as it is, one call per run', () => {
    const plan = harnessProfilePlan({ harness: 'command', command: './work --fast', cwd: null } as never, 'work');
    expect(plan).toMatchObject({ profiler: 'callgrind', commandLine: 'exec >/dev/null\n./work --fast' });
    expect('callsOf' in plan && plan.callsOf('')).toBe(1);
  });

  it('narrows a Google Benchmark binary to the benchmark, one iteration, and counts the iterations it ran', () => {
    const plan = harnessProfilePlan(
      { harness: 'google-benchmark', command: './bench', cwd: null } as never,
      'BM_Sum/64',
    );
    expect(plan).toMatchObject({
      commandLine: `exec >/dev/null\n./bench '--benchmark_filter=^(BM_Sum/64)$' --benchmark_min_time=1e-9 --v=2`,
    });
    const stderr = [
      '-- LOG(2): Running BM_Sum/64 for 1',
      '-- LOG(2): Ran in 1.963e-06/3.375e-06',
      '-- LOG(2): Running BM_Sum/64 for 10',
      '-- LOG(2): Running BM_Sum/640 for 1000',
      '-- LOG(2): Running BM_Sum/64 for 1000',
    ].join('\n');
    expect('callsOf' in plan && plan.callsOf(stderr)).toBe(1011);
    expect('callsOf' in plan && plan.callsOf('nothing')).toBeNull();
    const own = harnessProfilePlan(
      { harness: 'google-benchmark', command: './bench --benchmark_min_time=1', cwd: null } as never,
      'BM_Sum/64',
    );
    // One iteration whatever the command asks: the last flag wins.
    expect('commandLine' in own && own.commandLine).toMatch(/min_time=1 .*--benchmark_min_time=1e-9 --v=2$/);
  });

  it('runs one pytest-benchmark test with the cProfile plugin, and reads what the plugin wrote', () => {
    const plan = harnessProfilePlan(
      { harness: 'pytest-benchmark', command: 'python3 -m pytest -q', cwd: null } as never,
      'benchmarks/test_k.py::test_sort',
    );
    expect(plan).toEqual({
      profiler: 'cProfile',
      commandLine:
        "exec >/dev/null\npython3 -m pytest -q -p benchgate_cprofile -k '(test_k.py and test_sort)' --benchmark-enable --benchmark-max-time=0.2",
    });
    const side = { side: 'head' as const, root: '/w/head', within: '' };
    const text = JSON.stringify({
      calls: 4,
      functions: [
        { file: '/w/head/benchmarks/test_k.py', line: 6, function: 'leaf', tottime: 0.002 },
        { file: '~', line: 0, function: "<method 'append' of 'list' objects>", tottime: 0.0004 },
      ],
    });
    expect(cProfileSelfTimes(text, side, 'the cProfile of x')).toEqual([
      { function: 'leaf', file: 'benchmarks/test_k.py', line: 6, msPerCall: 0.5 },
      { function: "<method 'append' of 'list' objects>", file: '', line: 0, msPerCall: 0.1 },
    ]);
    const bad = (v: unknown, message: RegExp) =>
      expect(() => cProfileSelfTimes(JSON.stringify(v), side, 'the cProfile of x')).toThrow(message);
    bad({ calls: 0, functions: [] }, /^the cProfile of x: 'calls' must be a whole number ≥ 1/);
    bad({ calls: 1, functions: {} }, /'functions' must be an array/);
    bad({ calls: 1, functions: [{ file: 'a', line: -1, function: 'f', tottime: 0 }] }, /'functions\[0\]'/);
    expect(() => cProfileSelfTimes('{', side, 'the cProfile of x')).toThrow(/not JSON/);
  });

  it('says what is missing for a harness it has no profiler for', () => {
    expect(harnessProfilePlan({ harness: 'criterion', command: 'cargo bench', cwd: null } as never, 'X')).toEqual({
      missing:
        "no profiler for criterion benchmarks yet (callgrind profiles command, hyperfine and google-benchmark ones, cProfile pytest-benchmark ones, pprof go ones, V8's CPU profiler vitest ones)",
    });
  });
});
