import { describe, expect, it } from 'vitest';
import { roundsToDecide } from '../../../src/stats/rounds-to-decide.js';

// A symmetric pattern of rounds: median 0, robust SD about 0.86 of its scale.
const pattern = [0.9, -1.1, 0.3, -0.2, 1.4, -0.7, 0.1, -0.6, 0.5, -0.4];
const at = (scale: number, shift = 0) => pattern.map((x) => x * scale + shift);

describe('roundsToDecide', () => {
  it('grows with the square of the noise over the room inside the threshold', () => {
    const one = roundsToDecide(at(0.02), { thresholdPct: 1, level: 0.001 });
    const two = roundsToDecide(at(0.04), { thresholdPct: 1, level: 0.001 });
    expect(two / one).toBeGreaterThan(3.5);
    expect(two / one).toBeLessThan(5.5);
    // (1.96 · 1.1 · 0.86 · 2% / 1%)² ≈ 14: the 95% interval fits within ±1% at about 14 rounds.
    expect(one).toBeGreaterThanOrEqual(12);
    expect(one).toBeLessThanOrEqual(16);
  });

  it('forecasts significance for an estimate beyond the threshold, never below the rounds it has', () => {
    const slower = roundsToDecide(at(0.04, 0.05), { thresholdPct: 1, level: 0.001 });
    expect(slower).toBeGreaterThanOrEqual(10);
    expect(slower).toBeLessThan(roundsToDecide(at(0.04, 0.02), { thresholdPct: 1, level: 0.001 }));
    expect(roundsToDecide(at(0.0001), { thresholdPct: 1, level: 0.001 })).toBe(pattern.length);
  });

  it('grows as the estimate nears the threshold from inside, and is Infinity with too few rounds', () => {
    const near = (share: number) =>
      roundsToDecide(at(0.01, share * Math.log1p(0.01)), { thresholdPct: 1, level: 0.01 });
    expect(near(0.3)).toBeLessThan(near(0.6));
    expect(near(0.6)).toBeLessThan(near(0.85));
    expect(roundsToDecide([0.01, 0.02], { thresholdPct: 1, level: 0.01 })).toBe(Infinity);
  });
});
