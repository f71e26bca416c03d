/** Verdicts on the measures other than time: paired, one Holm family for the gated ones, at their share of α. */
import { describe, expect, it } from 'vitest';
import { parseBenchmarkRules, parseMeasures } from '../../../src/config/measures.js';
import type { PairedCase } from '../../../src/measure/paired-suites.js';
import type { ProcessMeasurement } from '../../../src/model.js';
import { measureResults, timeAlpha, gatedOtherCount, suiteMeasures } from '../../../src/pipeline/measure-verdicts.js';
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
    setup: () => ({ run: () => 0 }),
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
