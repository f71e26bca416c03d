import { describe, expect, it } from 'vitest';
import { bindingRoof, rooflineRows, type MeasuredCase } from '../../../src/roofline/rows.js';
import type { MachineLimits } from '../../../src/model.js';

const machine: MachineLimits = { fmaPeakGflops: 200, bandwidthGBs: 20, simd: 'avx512', threads: 2, reason: null };

const row = (
  implementation: string,
  seconds: number | null,
  work = { flops: 1e9, bytes: 4e9 },
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
  ...extra,
});

describe('the binding roof', () => {
  it('is bandwidth × intensity left of the ridge and the FMA peak right of it', () => {
    expect(bindingRoof(0.25, machine)).toEqual({ boundBy: 'memory', gflops: 5 });
    expect(bindingRoof(100, machine)).toEqual({ boundBy: 'compute', gflops: 200 });
    expect(bindingRoof(1, { fmaPeakGflops: null, bandwidthGBs: 20 })).toBeNull();
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
  });

  it('use bandwidth alone when the work counts no flops, and leave skipped rows without figures', () => {
    const [a, b] = rooflineRows(
      [row('ts-naive', null), row('native', 0.5, { flops: null as unknown as number, bytes: 5e9 })],
      machine,
    );
    expect(a).toMatchObject({ state: 'skipped', reason: 'no addon', gflops: null, fractionOfLimit: null });
    expect(b).toMatchObject({ gbps: 10, fractionOfLimit: 0.5, boundBy: 'memory', speedupOverNaive: null });
  });

  it('give no fraction when the limits could not be measured', () => {
    const [r] = rooflineRows([row('ts-naive', 1)], {
      ...machine,
      fmaPeakGflops: null,
      bandwidthGBs: null,
      reason: 'no addon',
    });
    expect(r?.fractionOfLimit).toBeNull();
    expect(r?.gflops).toBe(1);
  });
});
