import { describe, expect, it } from 'vitest';
import { detectableChangePct } from '../../../src/stats/detectable-change.js';
import { pairedPValues } from '../../../src/stats/paired-p-values.js';
import { normalQuantile } from '../../../src/stats/normal-quantile.js';
import { seededRandom } from '../../../src/random.js';

const random = seededRandom(11);
const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

/** Share of fresh comparisons (noise from `draw`) that the real one-sided Wilcoxon test flags at `level`. */
function realPower(changePct: number, draw: () => number, rounds: number, level: number, trials = 2000): number {
  const shift = Math.log1p(changePct / 100);
  let caught = 0;
  for (let t = 0; t < trials; t++) {
    const d = Array.from({ length: rounds }, () => shift + draw());
    if (pairedPValues(d).greater < level) caught++;
  }
  return caught / trials;
}

describe('detectableChangePct', () => {
  it('is caught about as often as asked by the real test, at a suite-wide level (normal noise)', () => {
    // A sample that is exactly normal (its quantiles), off centre: only the noise matters.
    const sd = 0.02;
    const d = Array.from({ length: 400 }, (_, i) => 0.003 + sd * normalQuantile((i + 0.5) / 400));
    for (const [rounds, level] of [
      [30, 0.0037 / 40],
      [17, 0.0025 / 40],
      [24, 0.01],
    ] as const) {
      const change = detectableChangePct(d, { level, rounds }) as number;
      const power = realPower(change, () => sd * normal(), rounds, level);
      expect(power).toBeGreaterThan(0.86);
      expect(power).toBeLessThan(0.94);
      expect(realPower(change / 2, () => sd * normal(), rounds, level)).toBeLessThan(0.5);
    }
  });

  it('asks for more when the noise has heavy tails, and the real test agrees', () => {
    // 80% quiet rounds (1%), 20% wild ones (±12%): the kind of benchmark that holds power back.
    const draw = () => (random() < 0.8 ? 0.01 * normal() : 0.12 * normal());
    const q = (n: number, sd: number) => Array.from({ length: n }, (_, i) => sd * normalQuantile((i + 0.5) / n));
    const heavy = [...q(320, 0.01), ...q(80, 0.12)];
    const quiet = q(400, 0.01);
    const level = 0.0037 / 40;
    const forHeavy = detectableChangePct(heavy, { level, rounds: 30 }) as number;
    expect(forHeavy).toBeGreaterThan(1.3 * (detectableChangePct(quiet, { level, rounds: 30 }) as number));
    const power = realPower(forHeavy, draw, 30, level);
    expect(power).toBeGreaterThan(0.85);
    expect(power).toBeLessThan(0.95);
  });

  it('scales with the noise and shrinks with more rounds', () => {
    const d = Array.from({ length: 60 }, () => 0.02 * normal());
    const level = 0.001;
    const base = detectableChangePct(d, { level }) as number;
    const doubled = detectableChangePct(
      d.map((x) => 2 * x),
      { level },
    ) as number;
    expect(Math.log1p(doubled / 100) / Math.log1p(base / 100)).toBeCloseTo(2, 6);
    expect(detectableChangePct(d, { level, rounds: 90 }) as number).toBeLessThan(base);
    // Seeded: the same answer twice.
    expect(detectableChangePct(d, { level })).toBe(base);
  });

  it('is infinite when the rounds cannot reach the level, never below the threshold, null on too few rounds', () => {
    const d = [0.01, -0.02, 0.015, 0.0, -0.005, 0.02];
    expect(detectableChangePct(d, { level: 0.0001, rounds: 10 })).toBe(Number.POSITIVE_INFINITY);
    expect(detectableChangePct([0.001, -0.001, 0.0005, -0.0005], { level: 0.01, rounds: 30, thresholdPct: 1 })).toBe(1);
    expect(detectableChangePct([0, 0, 0, 0], { level: 0.01, rounds: 30 })).toBe(0);
    expect(detectableChangePct([0.01, 0.02], { level: 0.01 })).toBeNull();
  });

  it('names what is wrong with its input', () => {
    const d = [0.01, -0.02, 0.015, 0.0];
    expect(() => detectableChangePct(d, { level: 0 })).toThrow(/level/);
    expect(() => detectableChangePct(d, { level: 0.01, power: 1 })).toThrow(/power/);
    expect(() => detectableChangePct(d, { level: 0.01, rounds: 0 })).toThrow(/rounds/);
    expect(() => detectableChangePct(d, { level: 0.01, trials: 1.5 })).toThrow(/trials/);
  });
});
