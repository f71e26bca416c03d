import { describe, expect, it } from 'vitest';
import { hodgesLehmannInterval, type HodgesLehmannInterval } from '../../../src/stats/hodges-lehmann-interval.js';
import { expectClose, loadCases } from './fixture.js';

interface Case {
  name: string;
  d: number[];
  confidence: number;
  interval: (Omit<HodgesLehmannInterval, 'method'> & { method: string }) | null;
}
const cases = loadCases<Case[]>('hodges-lehmann');

describe('hodgesLehmannInterval', () => {
  // Reference: exact integer counts of the signed-rank distribution (normal above n = 50), checked
  // in the script by inverting scipy's exact Wilcoxon test at the interval's ends.
  it.each(cases)('matches the reference: $name at $confidence', ({ d, confidence, interval }) => {
    const r = hodgesLehmannInterval(d, confidence);
    if (interval === null) {
      expect(r).toBeNull();
      return;
    }
    expect(r).not.toBeNull();
    expect(r?.k).toBe(interval.k);
    expect(r?.method).toBe(interval.method);
    expectClose(r?.low, interval.low, 1e-12, 1e-15);
    expectClose(r?.high, interval.high, 1e-12, 1e-15);
    expectClose(r?.achievedConfidence, interval.achievedConfidence, 1e-9);
    expect(r?.achievedConfidence).toBeGreaterThanOrEqual(confidence - 1e-9);
  });

  it('returns null when n cannot reach the confidence (n = 5 at 95%: 2·2⁻⁵ > 5%)', () => {
    expect(hodgesLehmannInterval([0.01, 0.02, 0.03, 0.04, 0.05], 0.95)).toBeNull();
    expect(hodgesLehmannInterval([0.01, 0.02, 0.03, 0.04, 0.05, 0.06], 0.95)).not.toBeNull();
  });

  it('rejects a confidence outside (0, 1)', () => {
    expect(() => hodgesLehmannInterval([1, 2, 3], 1)).toThrow(RangeError);
  });
});
