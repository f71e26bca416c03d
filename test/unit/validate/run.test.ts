/** Runs of the schema before result unions (benchgate.run/v1, captured from real runs) still load. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RUN_SCHEMA } from '../../../src/model.js';
import { validateRun } from '../../../src/validate/run.js';
import { ValidationError } from '../../../src/validate/check.js';

const fixture = (name: string): Record<string, unknown> & { benchmarks: Record<string, unknown>[] } =>
  JSON.parse(readFileSync(new URL(`../../fixtures/report/${name}`, import.meta.url), 'utf8'));

describe('validateRun on a v1 report', () => {
  it('reads a compare run: presence on every result, verdicts only where compared', () => {
    const raw = fixture('compare-run-v1.json');
    expect(raw.schema).toBe('benchgate.run/v1');
    const run = validateRun(raw);
    expect(run.schema).toBe(RUN_SCHEMA);
    const by = new Map(run.benchmarks.map((b) => [`${b.name}|${b.presence}`, b]));
    const spin = by.get('spin/loop/small|both');
    expect(spin?.state).toBe('completed');
    const v1Spin = raw.benchmarks.find((b) => b.name === 'spin/loop/small') as {
      verdict: { verdict: string; method: string };
    };
    expect(spin?.verdict?.kind).toBe(v1Spin.verdict.verdict);
    expect(spin?.verdict?.method).toBe(v1Spin.verdict.method);
    expect(by.get('extra/loop/new|added')).toMatchObject({ state: 'completed', verdict: null });
    expect(by.get('faults/throws/x|removed')).toMatchObject({ state: 'errored', verdict: null, medianSeconds: null });
    expect(by.get('faults/skips/x|both')).toMatchObject({ state: 'skipped', verdict: null });
    expect(run.benchmarks.every((b) => b.presence !== undefined)).toBe(true);
  });

  it('reads a history run with a skipped and an errored benchmark', () => {
    const run = validateRun(fixture('history-run-v1.json'));
    expect(run.benchmarks.map((b) => b.presence)).toEqual(run.benchmarks.map(() => 'both'));
    for (const b of run.benchmarks) expect(b.verdict === null).toBe(b.state !== 'completed');
  });

  it('refuses a v2 report whose failed benchmark carries a verdict', () => {
    const run = validateRun(fixture('compare-run-v1.json'));
    const tampered = JSON.parse(JSON.stringify(run)) as { benchmarks: Record<string, unknown>[] };
    const skipped = tampered.benchmarks.find((b) => b.state === 'skipped') as Record<string, unknown>;
    skipped.verdict = {
      kind: 'unchanged',
      method: 'x',
      changePct: 0,
      ciLowPct: null,
      ciHighPct: null,
      pValue: null,
      thresholdPct: null,
      reason: '',
      details: {},
    };
    expect(() => validateRun(tampered)).toThrow(ValidationError);
    expect(() => validateRun(tampered)).toThrow(/verdict must be null for a benchmark that is skipped/);
  });

  it('names an unknown schema', () => {
    expect(() => validateRun({ ...fixture('history-run-v1.json'), schema: 'benchgate.run/v9' })).toThrow(
      /schema must be one of benchgate.run\/v2, benchgate.run\/v1/,
    );
  });
});

describe("validateRun on a paired process's block ratio", () => {
  const withBlockRatio = (value: unknown) => {
    const run = JSON.parse(JSON.stringify(validateRun(fixture('compare-run-v1.json')))) as {
      benchmarks: { measurements: Record<string, unknown>[] }[];
    };
    const m = run.benchmarks.flatMap((b) => b.measurements).find((x) => x.side === 'head') as Record<string, unknown>;
    m.blockLogRatio = value;
    return run;
  };

  it('keeps a finite ratio, and null', () => {
    const keep = (v: unknown) =>
      validateRun(withBlockRatio(v))
        .benchmarks.flatMap((b) => b.measurements)
        .find((x) => x.blockLogRatio !== undefined)?.blockLogRatio;
    expect(keep(0.0488)).toBe(0.0488);
    expect(keep(null)).toBeNull();
  });

  it('refuses one that is not a number or beyond any speed-up or slowdown, naming the field', () => {
    expect(() => validateRun(withBlockRatio('0.05'))).toThrow(/blockLogRatio/);
    expect(() => validateRun(withBlockRatio(1e9))).toThrow(ValidationError);
  });
});

describe("validateRun on a history run's kept profile", () => {
  const withKept = (value: unknown) => {
    const run = JSON.parse(JSON.stringify(validateRun(fixture('compare-run-v1.json')))) as {
      benchmarks: Record<string, unknown>[];
    };
    const b = run.benchmarks.find((x) => x.state === 'completed') as Record<string, unknown>;
    b.keptProfile = value;
    return run;
  };
  const kept = (functions: unknown[], calls: unknown = 12) => withKept({ calls, functions });
  const leaf = { function: 'leafWork', file: 'suite.mjs', line: 2, msPerCall: 0.25 };

  it('keeps its calls and functions', () => {
    const read = validateRun(kept([leaf, { ...leaf, function: '(anonymous)', file: '', line: 0 }]));
    expect(read.benchmarks.find((b) => b.keptProfile)?.keptProfile).toEqual({
      calls: 12,
      functions: [leaf, { ...leaf, function: '(anonymous)', file: '', line: 0 }],
    });
  });

  it('refuses a malformed one, naming the field', () => {
    expect(() => validateRun(kept([leaf], 0))).toThrow(/keptProfile\.calls must be an integer from 1/);
    expect(() => validateRun(kept([{ ...leaf, msPerCall: -1 }]))).toThrow(/keptProfile\.functions\[0\]\.msPerCall/);
    expect(() => validateRun(kept([{ ...leaf, line: 1.5 }]))).toThrow(/keptProfile\.functions\[0\]\.line/);
    expect(() => validateRun(kept([{ ...leaf, function: 7 }]))).toThrow(/keptProfile\.functions\[0\]\.function/);
    expect(() => validateRun(kept(Array.from({ length: 101 }, () => leaf)))).toThrow(
      /keptProfile\.functions must be an array of at most 100/,
    );
    expect(() => validateRun(withKept('leafWork'))).toThrow(/keptProfile must be an object/);
  });
});

describe("validateRun on a history run's kept count profile", () => {
  const withCounts = (value: unknown) => {
    const run = JSON.parse(JSON.stringify(validateRun(fixture('compare-run-v1.json')))) as {
      benchmarks: Record<string, unknown>[];
    };
    const b = run.benchmarks.find((x) => x.state === 'completed') as Record<string, unknown>;
    b.keptCountProfile = value;
    return run;
  };
  const leaf = { function: 'leaf', file: 'leaf.c', line: 3, perCall: 1200.5 };
  const counts = { unit: 'instructions', profiler: 'callgrind', calls: 1, functions: [leaf] };

  it('keeps its unit, profiler, calls and functions', () => {
    const read = validateRun(withCounts(counts));
    expect(read.benchmarks.find((b) => b.keptCountProfile)?.keptCountProfile).toEqual(counts);
  });

  it('refuses a malformed one, naming the field', () => {
    expect(() => validateRun(withCounts({ ...counts, unit: 'ms' }))).toThrow(/keptCountProfile\.unit must be one of/);
    expect(() => validateRun(withCounts({ ...counts, calls: 0 }))).toThrow(/keptCountProfile\.calls/);
    expect(() => validateRun(withCounts({ ...counts, functions: [{ ...leaf, perCall: -1 }] }))).toThrow(
      /keptCountProfile\.functions\[0\]\.perCall/,
    );
    expect(() => validateRun(withCounts({ ...counts, profiler: 5 }))).toThrow(/keptCountProfile\.profiler/);
  });
});

describe("validateRun on a regression's time profile", () => {
  const withProfile = (file: string) => {
    const run = JSON.parse(JSON.stringify(validateRun(fixture('compare-run-v1.json')))) as {
      benchmarks: Record<string, unknown>[];
    };
    const b = run.benchmarks.find((x) => x.state === 'completed') as Record<string, unknown>;
    b.profile = { top: [], files: { base: file.replace('head', 'base'), head: file }, seconds: 4, profiler: 'pprof' };
    return run;
  };

  it('takes the files of V8, cProfile and Go, and nothing outside the profiles folder', () => {
    for (const ext of ['cpuprofile', 'prof', 'pprof', 'perf.data'])
      expect(
        validateRun(withProfile(`benchgate-profiles/go/example.com/deep/BenchmarkDeep/head.${ext}`)).benchmarks.find(
          (b) => b.profile,
        )?.profile?.files?.head,
      ).toBe(`benchgate-profiles/go/example.com/deep/BenchmarkDeep/head.${ext}`);
    expect(() => validateRun(withProfile('benchgate-profiles/../etc/head.pprof'))).toThrow(/profile\.files/);
    expect(() => validateRun(withProfile('benchgate-profiles/x/head.exe'))).toThrow(/profile\.files/);
  });
});
