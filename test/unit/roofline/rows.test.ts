import { describe, expect, it } from 'vitest';
import {
  bindingRoof,
  fractionOfRoof,
  pairedFraction,
  rooflineRows,
  type MeasuredCase,
  type MeasuredRound,
} from '../../../src/roofline/rows.js';
import { machineLimits } from '../../../src/roofline/limits.js';
import type { RoofFigures } from '../../../src/model.js';

const roofs: RoofFigures = { fmaPeakGflops: 200, bandwidthGBs: 20 };
const machine = machineLimits([roofs], { simd: 'avx512', threads: 2, reason: null });
const memoryBound = { flops: 1e9, bytes: 4e9 };
const computeBound = { flops: 4e10, bytes: 1e9 };

/** Rounds of a kernel taking `seconds` beside the given roofs. */
const rounds = (seconds: number[], roofsPerRound: RoofFigures[] = seconds.map(() => roofs)): MeasuredRound[] =>
  seconds.map((s, i) => ({ round: i + 1, seconds: s, ...(roofsPerRound[i] as RoofFigures) }));

const row = (
  implementation: string,
  seconds: number | null,
  work = memoryBound,
  extra: Partial<MeasuredCase> = {},
): MeasuredCase => ({
  kernel: 'k',
  implementation,
  fixture: 'f',
  work,
  state: seconds === null ? 'skipped' : 'completed',
  reason: seconds === null ? 'no addon' : null,
  medianSeconds: seconds,
  extraMemoryBytes: 1024,
  rounds: seconds === null ? [{ round: 1, seconds: null, fmaPeakGflops: null, bandwidthGBs: null }] : rounds([seconds]),
  ...extra,
});

describe('the binding roof', () => {
  it('is bandwidth × intensity left of the ridge and the FMA peak right of it', () => {
    expect(bindingRoof(0.25, roofs)).toEqual({ boundBy: 'memory', gflops: 5 });
    expect(bindingRoof(100, roofs)).toEqual({ boundBy: 'compute', gflops: 200 });
    expect(bindingRoof(1, { fmaPeakGflops: null, bandwidthGBs: 20 })).toBeNull();
  });
});

describe('the fraction of one round', () => {
  it('is achieved over the binding roof of that round, or GB/s over bandwidth when the work counts no flops', () => {
    expect(fractionOfRoof(memoryBound, 0.25, roofs)).toBeCloseTo(0.8, 12);
    expect(fractionOfRoof(computeBound, 0.4, roofs)).toBeCloseTo(0.5, 12);
    expect(fractionOfRoof({ flops: null, bytes: 5e9 }, 0.5, roofs)).toBeCloseTo(0.5, 12);
    expect(fractionOfRoof(memoryBound, null, roofs)).toBeNull();
    expect(fractionOfRoof(memoryBound, 0.25, { fmaPeakGflops: 200, bandwidthGBs: null })).toBeNull();
  });
});

describe('the per-round pairing', () => {
  // A neighbour takes the memory bus (or the core) in every other round: the kernel and the probe
  // of its roof, measured side by side in the same process, slow down by the same factor.
  const slowdown = [1, 2, 1, 2.5, 1, 2, 1.5];

  it('gives a memory-bound fraction that does not move when the kernel and the triad probe slow down together', () => {
    const measured = rounds(
      slowdown.map((k) => 0.25 * k),
      slowdown.map((k) => ({ fmaPeakGflops: 200, bandwidthGBs: 20 / k })),
    );
    const { fraction, iqr, rounds: kept } = pairedFraction(memoryBound, measured);
    expect(fraction).toBeCloseTo(0.8, 12);
    expect(iqr![1] - iqr![0]).toBeLessThan(1e-12);
    for (const r of kept) expect(r.fraction).toBeCloseTo(0.8, 12);
    // Set against the roofs' median instead (a roof probed apart from the kernel), the fraction moves 2.5×.
    const apart = measured.map((r) => fractionOfRoof(memoryBound, r.seconds, machineLimits(measured, machine)));
    expect(Math.max(...(apart as number[])) / Math.min(...(apart as number[]))).toBeCloseTo(2.5, 9);
  });

  it('gives a compute-bound fraction that does not move when the kernel and the FMA probe slow down together', () => {
    const { fraction, iqr } = pairedFraction(
      computeBound,
      rounds(
        slowdown.map((k) => 0.4 * k),
        slowdown.map((k) => ({ fmaPeakGflops: 200 / k, bandwidthGBs: 20 })),
      ),
    );
    expect(fraction).toBeCloseTo(0.5, 12);
    expect(iqr![1] - iqr![0]).toBeLessThan(1e-12);
  });

  it('moves when only the roof moves: it pairs the rounds, it does not smooth them', () => {
    const { fraction, iqr } = pairedFraction(
      memoryBound,
      rounds(
        [0.25, 0.25, 0.25, 0.25],
        [10, 20, 20, 40].map((bw) => ({ fmaPeakGflops: 200, bandwidthGBs: bw })),
      ),
    );
    // Per-round fractions 1.6, 0.8, 0.8, 0.4: median 0.8, quartiles 0.7 and 1.0 (numpy's linear rule).
    expect(fraction).toBeCloseTo(0.8, 12);
    expect(iqr![0]).toBeCloseTo(0.7, 12);
    expect(iqr![1]).toBeCloseTo(1.0, 12);
  });

  it('leaves out a round whose process failed or measured no roof', () => {
    const { fraction, rounds: kept } = pairedFraction(memoryBound, [
      { round: 1, seconds: 0.25, ...roofs },
      { round: 2, seconds: null, ...roofs },
      { round: 3, seconds: 0.5, fmaPeakGflops: 200, bandwidthGBs: null },
    ]);
    expect(fraction).toBeCloseTo(0.8, 12);
    expect(kept.map((r) => r.fraction)).toEqual([expect.closeTo(0.8, 12), null, null]);
  });
});

describe('roofline rows', () => {
  it('compute GFLOP/s, GB/s, the fraction of the binding roof and the speedup over the first (naive) rung', () => {
    const [naive, fast] = rooflineRows([row('ts-naive', 2), row('native', 0.25)], machine);
    expect(naive).toMatchObject({
      gflops: 0.5,
      gbps: 2,
      boundBy: 'memory',
      fractionOfLimit: 0.1,
      fractionIqr: [0.1, 0.1],
      speedupOverNaive: 1,
      naiveImplementation: 'ts-naive',
    });
    expect(fast).toMatchObject({
      gflops: 4,
      gbps: 16,
      arithmeticIntensity: 0.25,
      fractionOfLimit: 0.8,
      speedupOverNaive: 8,
      extraMemoryBytes: 1024,
    });
    expect(fast?.rounds).toEqual([{ round: 1, seconds: 0.25, fmaPeakGflops: 200, bandwidthGBs: 20, fraction: 0.8 }]);
  });

  it('use bandwidth alone when the work counts no flops, and leave skipped rows without figures', () => {
    const [a, b] = rooflineRows(
      [row('ts-naive', null), row('native', 0.5, { flops: null as unknown as number, bytes: 5e9 })],
      machine,
    );
    expect(a).toMatchObject({
      state: 'skipped',
      reason: 'no addon',
      gflops: null,
      fractionOfLimit: null,
      fractionIqr: null,
    });
    expect(b).toMatchObject({ gbps: 10, fractionOfLimit: 0.5, boundBy: 'memory', speedupOverNaive: null });
  });

  it('give no fraction when no roof was measured', () => {
    const none = { fmaPeakGflops: null, bandwidthGBs: null };
    const limits = machineLimits([none], { simd: 'scalar', threads: 2, reason: 'no addon' });
    const [r] = rooflineRows([row('ts-naive', 1, memoryBound, { rounds: rounds([1], [none]) })], limits);
    expect(r?.fractionOfLimit).toBeNull();
    expect(r?.fractionIqr).toBeNull();
    expect(r?.gflops).toBe(1);
  });
});
