import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/random.js';
import { decideAtLook, lookSchedule, roundsToReach } from '../../../src/stats/sequential-looks.js';
import { runSequentialLooks } from '../../../src/pipeline/sequential-driver.js';

describe('lookSchedule', () => {
  it('puts the first look where an exact rank test can reach its level, and splits alpha over the looks', () => {
    // m = 4, α = 0.01: first look spends 0.005, Holm's first step 0.00125, 2⁻¹⁰ < 0.00125 → 10 + 3 rounds.
    expect(roundsToReach(0.00125)).toBe(10);
    const looks = lookSchedule({ benchmarks: 4, alpha: 0.01, minRounds: 6, maxRounds: 30 });
    expect(looks.map((l) => l.rounds)).toEqual([13, 22, 30]);
    expect(looks.map((l) => l.alpha)).toEqual([0.005, 0.0025, 0.0025]);
    expect(looks.reduce((s, l) => s + l.alpha, 0)).toBeCloseTo(0.01, 12);
  });

  it('gives one look with all of alpha when max-rounds leaves no room for more', () => {
    expect(lookSchedule({ benchmarks: 2, alpha: 0.01, minRounds: 8, maxRounds: 8 })).toEqual([{ rounds: 8, alpha: 0.01 }]);
  });

  it('rejects nonsense', () => {
    expect(() => lookSchedule({ benchmarks: 2, alpha: 0, minRounds: 5, maxRounds: 8 })).toThrow(/alpha/);
    expect(() => lookSchedule({ benchmarks: 2, alpha: 0.01, minRounds: 9, maxRounds: 8 })).toThrow(/minRounds/);
  });
});

describe('decideAtLook', () => {
  const up = Array.from({ length: 10 }, (_, i) => 0.1 + i * 0.001); // ten rounds all slower: raw p = 2⁻¹⁰
  const flat = Array.from({ length: 10 }, (_, i) => (i % 2 ? 1 : -1) * 0.001 * (i + 1));

  it('keeps decided benchmarks in the Holm family with p = 1 instead of shrinking it', () => {
    const family = [up, flat, flat, flat];
    // Alone, p = 2⁻¹⁰ ≈ 0.00098 < 0.003; in a family of 4 Holm makes it 0.0039 > 0.003.
    const alone = decideAtLook([up], [true], { alpha: 0.003, thresholdPct: 2 });
    expect(alone[0]?.verdict).toBe('regressed');
    const inFamily = decideAtLook(family, [true, false, false, false], { alpha: 0.003, thresholdPct: 2 });
    expect(inFamily[0]?.verdict).toBe('inconclusive');
    expect(inFamily[0]?.details).toMatchObject({ familySize: 4, correction: 'holm' });
    expect(inFamily.slice(1)).toEqual([null, null, null]);
    expect(decideAtLook(family, [true, false, false, false], { alpha: 0.01, thresholdPct: 2 })[0]?.verdict).toBe('regressed');
  });
});

/** Heavy-tailed symmetric noise: mostly N(0, σ), sometimes a 2× outlier either way. */
function noisyRound(random: () => number, sigma: number): number {
  const u = Math.max(1e-12, random());
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  const outlier = random() < 0.05 ? (random() < 0.5 ? -1 : 1) * Math.log(2) : 0;
  return sigma * z + outlier;
}

async function simulate(trials: number, m: number, shiftOfFirst: number, seed: number): Promise<{ anyRegressed: number; firstRegressed: number }> {
  const random = seededRandom(seed);
  const looks = lookSchedule({ benchmarks: m, alpha: 0.05, minRounds: 6, maxRounds: 20 });
  let anyRegressed = 0;
  let firstRegressed = 0;
  for (let t = 0; t < trials; t++) {
    const d: number[][] = Array.from({ length: m }, () => []);
    const out = await runSequentialLooks(m, { looks, thresholdPct: 1, minRounds: 6, timeBudget: Infinity }, {
      measure: async () => d.forEach((x, i) => x.push(noisyRound(random, 0.03) + (i === 0 ? shiftOfFirst : 0))),
      logRatios: () => d,
      elapsed: () => 0,
      estimate: () => 0,
    });
    if (out.verdicts.some((v) => v?.verdict === 'regressed')) anyRegressed++;
    if (out.verdicts[0]?.verdict === 'regressed') firstRegressed++;
  }
  return { anyRegressed: anyRegressed / trials, firstRegressed: firstRegressed / trials };
}

describe('runSequentialLooks', () => {
  it('holds the family-wise false-alarm rate at alpha across its looks (A/A simulation, α = 0.05)', async () => {
    const { anyRegressed } = await simulate(1500, 4, 0, 7);
    // Binomial(1500, 0.05) stays below 0.05 + 3 SE = 0.067.
    expect(anyRegressed).toBeLessThan(0.067);
  }, 60_000);

  it('starts after the rounds the caller already measured', async () => {
    const asked: number[] = [];
    const d = [[0.01]];
    const out = await runSequentialLooks(1, { looks: [{ rounds: 4, alpha: 0.01 }], thresholdPct: 1, minRounds: 2, timeBudget: Infinity, roundsDone: 1 }, {
      measure: async (round) => void (asked.push(round), d[0]?.push(0.01)),
      logRatios: () => d,
      elapsed: () => 0,
      estimate: () => 0,
    });
    expect(asked).toEqual([2, 3, 4]);
    expect(out.rounds).toBe(4);
  });

  it('catches a 5% slowdown under 3% noise with 2× outliers', async () => {
    const { firstRegressed } = await simulate(200, 4, Math.log(1.05), 11);
    expect(firstRegressed).toBeGreaterThan(0.8);
  }, 60_000);
});
