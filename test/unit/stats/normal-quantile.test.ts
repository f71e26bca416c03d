import { describe, expect, it } from 'vitest';
import { normalQuantile } from '../../../src/stats/normal-quantile.js';
import { expectClose, loadCases } from './fixture.js';

const { quantile } = loadCases<{ quantile: { p: number; z: number }[] }>('normal');

describe('normalQuantile', () => {
  it.each(quantile)('matches scipy.special.ndtri at p = $p', ({ p, z }) => {
    expectClose(normalQuantile(p), z, 1e-9, 1e-12);
  });

  it('answers the edges', () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(1.5)).toBeNaN();
    expect(normalQuantile(0.5)).toBe(0);
  });
});
