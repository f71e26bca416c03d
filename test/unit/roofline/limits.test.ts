import { describe, expect, it } from 'vitest';
import { machineLimits, medianAndIqr } from '../../../src/roofline/limits.js';

describe('the machine limits', () => {
  it('are the medians and interquartile ranges of every process figure, nulls left out', () => {
    const m = machineLimits(
      [
        { fmaPeakGflops: 100, bandwidthGBs: 30 },
        { fmaPeakGflops: 120, bandwidthGBs: null },
        { fmaPeakGflops: 110, bandwidthGBs: 40 },
        { fmaPeakGflops: null, bandwidthGBs: 20 },
        { fmaPeakGflops: null, bandwidthGBs: null },
      ],
      { simd: 'avx2', threads: 2, reason: null },
    );
    expect(m).toEqual({
      fmaPeakGflops: 110,
      fmaPeakIqr: [105, 115],
      bandwidthGBs: 30,
      bandwidthIqr: [25, 35],
      probes: 4,
      simd: 'avx2',
      threads: 2,
      reason: null,
    });
  });

  it('say why they are missing: the addon, or no benchmark completed beside the probes', () => {
    expect(machineLimits([], { simd: 'scalar', threads: 2, reason: 'no addon' })).toMatchObject({
      fmaPeakGflops: null,
      fmaPeakIqr: null,
      probes: 0,
      reason: 'no addon',
    });
    expect(machineLimits([], { simd: 'avx2', threads: 2, reason: null }).reason).toMatch(/no benchmark completed/);
  });

  it('medianAndIqr gives nulls for no values', () => {
    expect(medianAndIqr([null])).toEqual({ median: null, iqr: null });
    expect(medianAndIqr([2])).toEqual({ median: 2, iqr: [2, 2] });
  });
});
