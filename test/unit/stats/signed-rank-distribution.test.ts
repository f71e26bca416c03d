import { describe, expect, it } from 'vitest';
import { signedRankCdf, signedRankDistribution, signedRankSf } from '../../../src/stats/signed-rank-distribution.js';

describe('signedRankDistribution', () => {
  it('gives the enumerated distribution for n = 3', () => {
    // Subsets of {1,2,3}: sums 0,1,2,3,3,4,5,6.
    expect(Array.from(signedRankDistribution(3))).toEqual([1, 1, 1, 2, 1, 1, 1].map((c) => c / 8));
  });

  it('sums to one and is symmetric', () => {
    for (const n of [1, 7, 20, 50]) {
      const pmf = signedRankDistribution(n);
      expect(pmf.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      const m = pmf.length - 1;
      for (let k = 0; k <= m; k++) expect(pmf[k]).toBeCloseTo(pmf[m - k] as number, 15);
    }
  });

  it('has tails P(T ≤ 0) = P(T ≥ max) = 2^-n', () => {
    expect(signedRankCdf(0, 10)).toBe(2 ** -10);
    expect(signedRankSf(55, 10)).toBe(2 ** -10);
    expect(signedRankCdf(55, 10)).toBeCloseTo(1, 14);
  });
});
