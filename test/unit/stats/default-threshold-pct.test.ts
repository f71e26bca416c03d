import { describe, expect, it } from 'vitest';
import { defaultThresholdPct, type DefaultThresholdOptions } from '../../../src/stats/default-threshold-pct.js';
import { expectClose, loadCases } from './fixture.js';

const cases =
  loadCases<{ name: string; dArrays: number[][]; options: DefaultThresholdOptions; thresholdPct: number }[]>(
    'default-threshold-pct',
  );

describe('defaultThresholdPct', () => {
  it.each(cases)('matches scipy median_abs_deviation(scale="normal"): $name', ({ dArrays, options, thresholdPct }) => {
    expectClose(defaultThresholdPct(dArrays, options), thresholdPct, 1e-9);
  });

  it('is the floor for no data', () => {
    expect(defaultThresholdPct([])).toBe(1);
    expect(defaultThresholdPct([], { floorPct: 2 })).toBe(2);
  });
});
