import { describe, expect, it } from 'vitest';
import {
  bootstrapMedianInterval,
  type BootstrapOptions,
  type MedianInterval,
} from '../../../src/stats/bootstrap-median-interval.js';
import { expectClose, loadCases } from './fixture.js';

interface Case {
  name: string;
  values: number[];
  confidence: number;
  options: BootstrapOptions;
  expected: MedianInterval;
}
const cases = loadCases<Case[]>('bootstrap-median-interval');

describe('bootstrapMedianInterval', () => {
  it.each(cases)(
    'matches the mulberry32 replay with numpy percentiles: $name',
    ({ values, confidence, options, expected }) => {
      const r = bootstrapMedianInterval(values, confidence, options);
      expectClose(r?.estimate, expected.estimate, 1e-12);
      expectClose(r?.low, expected.low, 1e-12);
      expectClose(r?.high, expected.high, 1e-12);
    },
  );

  it('gives no interval for fewer than two values', () => {
    expect(bootstrapMedianInterval([1])).toBeNull();
    expect(bootstrapMedianInterval([])).toBeNull();
  });

  it('is reproducible from its seed', () => {
    const v = [5, 1, 4, 2, 8, 7, 3];
    expect(bootstrapMedianInterval(v, 0.9, { seed: 4 })).toEqual(bootstrapMedianInterval(v, 0.9, { seed: 4 }));
  });
});
