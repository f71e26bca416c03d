import { describe, expect, it } from 'vitest';
import { normalCdf, normalSf } from '../../../src/stats/normal-cdf.js';
import { expectClose, loadCases } from './fixture.js';

const { cdf } = loadCases<{ cdf: { z: number; cdf: number; sf: number }[] }>('normal');

describe('normalCdf / normalSf', () => {
  it.each(cdf)('matches scipy.special.ndtr at z = $z', ({ z, cdf: p, sf }) => {
    // Relative 1e-12 everywhere, down to the subnormal lower tail.
    expectClose(normalCdf(z), p, 1e-12, 1e-320);
    expectClose(normalSf(z), sf, 1e-12, 1e-320);
  });

  it('is symmetric and monotone', () => {
    for (let z = -6; z <= 6; z += 0.37) {
      expect(normalCdf(z) + normalCdf(-z)).toBeCloseTo(1, 15);
      expect(normalCdf(z + 0.01)).toBeGreaterThan(normalCdf(z));
    }
  });

  it('passes NaN through', () => {
    expect(normalCdf(Number.NaN)).toBeNaN();
  });
});
