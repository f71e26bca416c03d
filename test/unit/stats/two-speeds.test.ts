import { describe, expect, it } from 'vitest';
import { twoSpeeds } from '../../../src/stats/two-speeds.js';

describe('twoSpeeds', () => {
  it('splits levels at a gap of 10% or more with at least two and a fifth of them on each side', () => {
    expect(twoSpeeds([2.9, 4.7, 2.95, 3.0, 4.6, 2.88, 4.8, 2.92, 3.01, 2.97])).toEqual({
      low: 2.95,
      high: 4.7,
      nLow: 7,
      nHigh: 3,
    });
  });

  it('is null for one cluster, a single outlier, or a gap under 10%', () => {
    expect(twoSpeeds([2.9, 2.95, 3.0, 3.05, 2.92])).toBeNull();
    expect(twoSpeeds([2.9, 2.95, 3.0, 3.05, 2.92, 2.91, 2.93, 2.94, 2.96, 6])).toBeNull();
    expect(twoSpeeds([1, 1, 1, 1.08, 1.08, 1.08])).toBeNull();
    expect(twoSpeeds([])).toBeNull();
  });
});
