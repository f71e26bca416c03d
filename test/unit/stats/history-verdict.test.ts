import { describe, expect, it } from 'vitest';
import { historyVerdict } from '../../../src/stats/history-verdict.js';

const steady = [
  [1.0, 1.01, 0.99],
  [1.005, 1.0, 1.01],
  [0.995, 1.0, 0.99],
  [1.0, 1.002, 0.998],
];

describe('historyVerdict', () => {
  it('is inconclusive, never an alarm, when history is too short', () => {
    const v = historyVerdict([2, 2, 2], steady.slice(0, 2));
    expect(v.verdict).toBe('inconclusive');
    expect(v.reason).toMatch(/history too short: 2 earlier runs on this testbed, 3 needed/);
  });

  it('flags a clear slowdown as regressed with the change and threshold', () => {
    const v = historyVerdict([1.2, 1.21, 1.19], steady);
    expect(v.verdict).toBe('regressed');
    expect(v.changePct).toBeCloseTo(20, 0);
    expect(v.thresholdPct).toBeGreaterThanOrEqual(2);
  });

  it('flags a clear speed-up as improved', () => {
    expect(historyVerdict([0.8, 0.81, 0.79], steady).verdict).toBe('improved');
  });

  it('calls noise unchanged', () => {
    expect(historyVerdict([1.004, 0.998, 1.003], steady).verdict).toBe('unchanged');
  });

  it('raises the threshold with the noise of the history', () => {
    const noisy = [[1.0], [1.1], [0.9], [1.05], [0.95]];
    const v = historyVerdict([1.15], noisy);
    expect(v.verdict).toBe('unchanged');
    expect(v.thresholdPct!).toBeGreaterThan(15);
  });

  it('is robust to one 2× outlier run in the history', () => {
    const withOutlier = [...steady, [2.0, 2.1, 1.9]];
    expect(historyVerdict([1.2, 1.2, 1.2], withOutlier).verdict).toBe('regressed');
  });

  it('has no verdict without a measurement', () => {
    expect(historyVerdict([], steady).verdict).toBe('inconclusive');
  });
});
