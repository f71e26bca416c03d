/**
 * Verdicts on the measures other than time: paired, one Holm family for the gated ones, at their
 * share of α; an exact measure (instructions) one count per side against its threshold, outside it.
 */
import { describe, expect, it } from 'vitest';
import { parseBenchmarkRules, parseMeasures } from '../../../src/config/measures.js';
import type { PairedCase } from '../../../src/measure/paired-suites.js';
import type { ProcessMeasurement } from '../../../src/model.js';
import {
  historyMeasureResults,
  measureResults,
  timeAlpha,
  gatedOtherCount,
  suiteMeasures,
} from '../../../src/pipeline/measure-verdicts.js';
import { seededRandom } from '../../../src/random.js';

const entry = (name: string): PairedCase => ({
  name,
  presence: 'both',
  case: {
    kernel: 'k',
    implementation: name,
    fixture: 'f',
    fixtureChecksum: 'c',
    work: { flops: null, bytes: null },
  },
});

/** Rounds where the head's peak memory is `factor` × the base's (allocator noise ±1%), time equal. */
function rounds(factor: number, n: number, seed: number): ProcessMeasurement[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, (_, r) =>
    (['base', 'head'] as const).map((side): ProcessMeasurement => {
      const bytes = 200 * 2 ** 20 * (side === 'head' ? factor : 1) * (1 + 0.02 * (random() - 0.5));
      const t = 1e-3 * (1 + 0.02 * (random() - 0.5));
      return {
        round: r + 1,
        side,
        state: 'completed',
        reason: null,
        samples: 10,
        medianSeconds: t,
        meanSeconds: t,
        minSeconds: t,
        maxSeconds: t,
        madSeconds: 0,
        values: { 'peak-memory': bytes, allocated: 4096 },
      };
    }),
  ).flat();
}

describe('measureResults', () => {
  const entries = [entry('doubles'), entry('same')];
  const data = [rounds(2, 12, 1), rounds(1, 12, 2)];

  it('calls a doubled peak memory regressed and an unchanged one unchanged, when peak memory gates', () => {
    const policy = { measures: parseMeasures({ 'peak-memory': { gate: true } }), benchmarks: [] };
    const others = gatedOtherCount(policy, ['doubles', 'same'], suiteMeasures(policy));
    expect(others).toBe(2);
    const alphaTime = timeAlpha(0.01, 2, others);
    expect(alphaTime).toBeCloseTo(0.005, 12);
    const [doubles, same] = measureResults(entries, (i) => data[i] as ProcessMeasurement[], [true, true], policy, {
      alpha: 0.01,
      alphaOther: 0.01 - alphaTime,
      minRounds: 6,
    });
    const peak = (l: typeof doubles) => l?.find((m) => m.measure === 'peak-memory');
    expect(peak(doubles)).toMatchObject({
      gated: true,
      verdict: { kind: 'regressed', details: { familySize: 2, gated: true } },
    });
    expect(peak(doubles)?.verdict?.changePct).toBeGreaterThan(90);
    expect(peak(doubles)?.median).toBeGreaterThan(1.9 * (peak(doubles)?.baselineMedian ?? Infinity));
    expect(peak(same)?.verdict?.kind).toBe('unchanged');
    // allocated only informs by default, and did not change.
    expect(doubles?.find((m) => m.measure === 'allocated')).toMatchObject({
      gated: false,
      verdict: { kind: 'unchanged' },
    });
  });

  it('leaves an ignored benchmark and an uncompared one without a gated verdict', () => {
    const policy = {
      measures: parseMeasures({ 'peak-memory': { gate: true } }),
      benchmarks: parseBenchmarkRules({ 'doubles*': { ignore: true } }),
    };
    expect(gatedOtherCount(policy, ['doubles', 'same'], suiteMeasures(policy))).toBe(1);
    const [doubles, same] = measureResults(entries, (i) => data[i] as ProcessMeasurement[], [true, false], policy, {
      alpha: 0.01,
      alphaOther: 0.005,
      minRounds: 6,
    });
    expect(doubles?.find((m) => m.measure === 'peak-memory')).toMatchObject({
      gated: false,
      verdict: { kind: 'regressed' },
    });
    expect(same?.find((m) => m.measure === 'peak-memory')?.verdict).toBeNull();
  });
});

/** Three rounds of time only, with `instructions` counted once per side (in round 3, as the pass stores it). */
function counted(base: number, head: number): ProcessMeasurement[] {
  return [1, 2, 3].flatMap((round) =>
    (['base', 'head'] as const).map((side): ProcessMeasurement => ({
      round,
      side,
      state: 'completed',
      reason: null,
      samples: 10,
      medianSeconds: 1e-3,
      meanSeconds: 1e-3,
      minSeconds: 1e-3,
      maxSeconds: 1e-3,
      madSeconds: 0,
      ...(round === 3 ? { values: { instructions: side === 'base' ? base : head } } : {}),
    })),
  );
}

describe('exact measures (instructions)', () => {
  const policy = (rule: object = {}) => ({ measures: parseMeasures({ instructions: rule }), benchmarks: [] });
  const o = { alpha: 0.01, alphaOther: 0.005, minRounds: 6 };

  it('takes no share of α, even when it gates', () => {
    const p = policy({ gate: true });
    expect(suiteMeasures(p)).toContain('instructions');
    expect(gatedOtherCount(p, ['a', 'b'], suiteMeasures(p))).toBe(0);
  });

  it('calls one build counted twice unchanged, and 1% more instructions regressed at a 0.5% threshold', () => {
    const [same, more, fewer] = measureResults(
      [entry('same'), entry('more'), entry('fewer')],
      (i) => [counted(2_201_517, 2_201_517), counted(2_201_517, 2_223_532), counted(2_201_517, 2_179_502)][i]!,
      [true, true, true],
      policy({ gate: true, threshold: '0.5%' }),
      o,
    );
    expect(same?.[0]).toMatchObject({
      measure: 'instructions',
      gated: true,
      median: 2_201_517,
      baselineMedian: 2_201_517,
      verdict: { kind: 'unchanged', method: 'exact-count', changePct: 0, thresholdPct: 0.5, pValue: null },
    });
    expect(more?.[0]?.verdict).toMatchObject({ kind: 'regressed', method: 'exact-count' });
    expect(more?.[0]?.verdict?.changePct).toBeCloseTo(1.0, 3);
    expect(more?.[0]?.verdict?.reason).toMatch(
      /count is exact .*2,201,517 → 2,223,532 \(\+1\.00%\), beyond the 0\.5% threshold/,
    );
    expect(more?.[0]?.verdict?.details).toMatchObject({ correction: 'none' });
    expect(fewer?.[0]?.verdict?.kind).toBe('improved');
  });

  it('lets a change within the default threshold pass as unchanged', () => {
    const [r] = measureResults([entry('x')], () => counted(1_000_000, 1_004_000), [true], policy(), o);
    expect(r?.[0]?.verdict).toMatchObject({ kind: 'unchanged', thresholdPct: 0.5 });
    expect(r?.[0]?.gated).toBe(false);
  });

  it('reports a measure that was not taken, with the reason, and no figures', () => {
    const reason = 'not taken: valgrind was not found on PATH (the instructions measure counts under callgrind)';
    const [r] = measureResults(
      [entry('x')],
      () => counted(NaN, NaN).map((m) => ({ ...m, values: undefined })),
      [true],
      policy({ gate: true }),
      {
        ...o,
        notTaken: [{ name: 'x', measure: 'instructions', reason }],
      },
    );
    expect(r).toEqual([
      expect.objectContaining({ measure: 'instructions', gated: true, median: null, baselineMedian: null }),
    ]);
    expect(r?.[0]?.verdict).toMatchObject({ kind: 'inconclusive', reason, details: { taken: false } });
  });

  it('judges a history run against the newest earlier count', () => {
    const now = counted(0, 1_010_000).filter((m) => m.side === 'head');
    const history = [
      { runId: 'newest', medians: [1e-3], values: { instructions: [1_000_000] } },
      { runId: 'older', medians: [1e-3], values: { instructions: [1_010_000] } },
    ];
    const [r] = historyMeasureResults('x', now, history, policy({ gate: true, threshold: '0.5%' }));
    expect(r).toMatchObject({
      measure: 'instructions',
      median: 1_010_000,
      baselineMedian: 1_000_000,
      verdict: { kind: 'regressed', method: 'exact-count' },
    });
    expect(historyMeasureResults('x', now, [], policy())[0]?.verdict).toBeNull();
  });
});

describe('a measure where higher is better (throughput)', () => {
  /** Rounds where the head's throughput is `factor` × the base's (±1%), time equal. */
  const throughputRounds = (factor: number, seed: number): ProcessMeasurement[] =>
    rounds(1, 12, seed).map((m) => ({
      ...m,
      values: { throughput: 1e9 * (m.side === 'head' ? factor : 1) * (1 + 0.01 * Math.sin(m.round * 7 + seed)) },
    }));
  const gates = { measures: parseMeasures({ throughput: { gate: true, threshold: '5%' } }), benchmarks: [] };

  it('calls a doubled throughput improved and a halved one regressed, paired', () => {
    const [up, down] = measureResults(
      [entry('faster'), entry('slower')],
      (i) => throughputRounds(i === 0 ? 2 : 0.5, i + 1),
      [true, true],
      gates,
      { alpha: 0.01, alphaOther: 0.005, minRounds: 6 },
    );
    expect(up?.[0]).toMatchObject({ measure: 'throughput', verdict: { kind: 'improved' } });
    expect(down?.[0]).toMatchObject({ measure: 'throughput', verdict: { kind: 'regressed' } });
  });

  it('calls a fall of throughput against the history regressed, a rise improved', () => {
    const history = Array.from({ length: 8 }, (_, i) => ({
      runId: `r${i}`,
      medians: [1e-3],
      values: { throughput: [1e9 * (1 + 0.005 * Math.sin(i))] },
    }));
    const now = (f: number) => throughputRounds(f, 3).filter((m) => m.side === 'head');
    expect(historyMeasureResults('x', now(0.5), history, gates)[0]?.verdict?.kind).toBe('regressed');
    expect(historyMeasureResults('x', now(2), history, gates)[0]?.verdict?.kind).toBe('improved');
  });
});
