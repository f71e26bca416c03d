import { describe, expect, it } from 'vitest';
import { decideAtLook } from '../../../src/stats/sequential-looks.js';
import { withDetectableChange } from '../../../src/stats/with-detectable-change.js';
import { detectableChangePct } from '../../../src/stats/detectable-change.js';

// 24 rounds of a noisy benchmark (about 3% per round, no change) and a clearly slower one.
const noisy = [
  0.031, -0.028, 0.012, -0.041, 0.022, 0.005, -0.017, 0.036, -0.009, 0.027, -0.033, 0.014, -0.002, 0.019, -0.024, 0.008,
  -0.038, 0.029, -0.011, 0.016, 0.003, -0.021, 0.025, -0.006,
];
const slower = noisy.map((x) => 0.2 + x / 10);

describe('withDetectableChange', () => {
  it('adds to an inconclusive verdict the slowdown its rounds catch 9 times in 10 at its look’s level', () => {
    const [v, w] = decideAtLook([noisy, slower], [true, true], { alpha: 0.0037, thresholdPct: 1, look: 2, looks: 3 });
    expect(v?.kind).toBe('inconclusive');
    const explained = withDetectableChange(v!, noisy);
    const expected = detectableChangePct(noisy, { level: 0.0037 / 2, thresholdPct: 1 }) as number;
    expect(explained.details.detectableSlowdownPct).toBe(expected);
    expect(expected).toBeGreaterThan(2);
    expect(explained.reason).toBe(
      `${v!.reason} At this noise 24 rounds catch a slowdown of ${expected.toFixed(1)}% or more 9 times in 10.`,
    );
    // A decided verdict is left as it is.
    expect(w?.kind).toBe('regressed');
    expect(withDetectableChange(w!, slower)).toBe(w);
  });

  it('leaves a verdict with no paired rounds at all as it is (a benchmark that failed on both sides every round)', () => {
    const [v] = decideAtLook([[], slower], [true, true], { alpha: 0.0037, thresholdPct: 1, look: 1, looks: 3 });
    expect(v?.kind).toBe('inconclusive');
    expect(withDetectableChange(v!, [])).toBe(v);
  });

  it('counts the rounds the verdict was decided on, with the noise of all the rounds there are', () => {
    const [v] = decideAtLook([noisy.slice(0, 18), slower.slice(0, 18)], [true, true], {
      alpha: 0.0037,
      thresholdPct: 1,
    });
    expect(v?.kind).toBe('inconclusive');
    const explained = withDetectableChange(v!, noisy);
    const expected = detectableChangePct(noisy, { level: 0.0037 / 2, rounds: 18, thresholdPct: 1 }) as number;
    expect(explained.details.detectableSlowdownPct).toBe(expected);
    expect(explained.reason).toMatch(/At this noise 18 rounds catch a slowdown of/);
  });

  it('says when the rounds cannot reach the look’s level at all', () => {
    const [v] = decideAtLook([noisy.slice(0, 8), noisy], [true, true], { alpha: 0.001, thresholdPct: 1 });
    expect(v?.kind).toBe('inconclusive');
    const explained = withDetectableChange(v!, noisy.slice(0, 8));
    expect(explained.details.detectableSlowdownPct).toBeNull();
    expect(explained.reason).toMatch(/8 rounds cannot reach the level of its look \(0\.00050\) whatever the change\.$/);
  });

  it('leaves a verdict without a look (or with too few rounds to tell the noise) as it is', () => {
    const [v] = decideAtLook([noisy], [true], { alpha: 0.01, thresholdPct: 1 });
    const { lookAlpha: _a, ...details } = v!.details;
    const noLook = { ...v!, details };
    expect(withDetectableChange(noLook, noisy)).toBe(noLook);
    expect(withDetectableChange(v!, [0.01, 0.02])).toBe(v);
  });
});
