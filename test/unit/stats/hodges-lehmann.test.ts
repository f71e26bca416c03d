import { describe, expect, it } from 'vitest';
import { hodgesLehmann } from '../../../src/stats/hodges-lehmann.js';
import { expectClose, loadCases } from './fixture.js';

const cases = loadCases<{ name: string; d: number[]; confidence: number; estimate: number }[]>('hodges-lehmann').filter(
  (c) => c.confidence === 0.95,
);

describe('hodgesLehmann', () => {
  it.each(cases)('is the median of the Walsh averages (numpy): $name', ({ d, estimate }) => {
    expectClose(hodgesLehmann(d), estimate, 1e-12, 1e-15);
  });

  it('is not moved far by a 2× outlier round', () => {
    const d = [0.01, 0.02, 0.015, 0.012, 0.018, 0.011, 0.016, Math.log(2)];
    expect(hodgesLehmann(d)).toBeLessThan(0.02);
  });

  it('gives no estimate for no data', () => {
    expect(hodgesLehmann([])).toBeNull();
  });
});
