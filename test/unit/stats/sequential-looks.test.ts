import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/random.js';
import { decideAtLook, lookSchedule, roundsToReach, screeningRounds } from '../../../src/stats/sequential-looks.js';
import { runSequentialLooks } from '../../../src/pipeline/sequential-driver.js';

describe('lookSchedule', () => {
  it('puts the first look where an exact rank test can reach its level, and splits alpha over the looks', () => {
    // m = 4, α = 0.01: first look spends 0.0025, Holm's first step 0.000625, 2⁻¹¹ < 0.000625 → 11 + 3 rounds.
    expect(roundsToReach(0.000625)).toBe(11);
    const looks = lookSchedule({ benchmarks: 4, alpha: 0.01, minRounds: 6, maxRounds: 30 });
    expect(looks.map((l) => l.rounds)).toEqual([14, 22, 30]);
    expect(looks.map((l) => l.alpha)).toEqual([0.0025, 0.00375, 0.00375]);
    expect(
      lookSchedule({ benchmarks: 4, alpha: 0.01, minRounds: 6, maxRounds: 30, firstShare: 0.5 }).map((l) => l.rounds),
    ).toEqual([13, 22, 30]);
    expect(looks.reduce((s, l) => s + l.alpha, 0)).toBeCloseTo(0.01, 12);
  });

  it('gives one look with all of alpha when max-rounds leaves no room for more', () => {
    expect(lookSchedule({ benchmarks: 2, alpha: 0.01, minRounds: 8, maxRounds: 8 })).toEqual([
      { rounds: 8, alpha: 0.01 },
    ]);
  });

  it('rejects nonsense', () => {
    expect(() => lookSchedule({ benchmarks: 2, alpha: 0, minRounds: 5, maxRounds: 8 })).toThrow(/alpha/);
    expect(() => lookSchedule({ benchmarks: 2, alpha: 0.01, minRounds: 9, maxRounds: 8 })).toThrow(/minRounds/);
  });
});

describe('screeningRounds', () => {
  it('screens at min-rounds, halfway to the first look and halfway between looks, never on a look', () => {
    const looks = lookSchedule({ benchmarks: 4, alpha: 0.01, minRounds: 6, maxRounds: 30 });
    expect(screeningRounds(looks, 6)).toEqual([6, 10, 18, 26]);
    expect(screeningRounds(lookSchedule({ benchmarks: 40, alpha: 0.01, minRounds: 6, maxRounds: 30 }), 6)).toEqual([
      6, 12, 21, 27,
    ]);
    expect(screeningRounds([{ rounds: 8, alpha: 0.01 }], 8)).toEqual([]);
    expect(
      screeningRounds(
        [
          { rounds: 8, alpha: 0.005 },
          { rounds: 9, alpha: 0.005 },
        ],
        8,
      ),
    ).toEqual([]);
  });
});

describe('decideAtLook', () => {
  const up = Array.from({ length: 10 }, (_, i) => 0.1 + i * 0.001); // ten rounds all slower: raw p = 2⁻¹⁰
  const flat = Array.from({ length: 10 }, (_, i) => (i % 2 ? 1 : -1) * 0.001 * (i + 1));

  it('keeps decided benchmarks in the Holm family with p = 1 instead of shrinking it', () => {
    const family = [up, flat, flat, flat];
    // Alone, p = 2⁻¹⁰ ≈ 0.00098 < 0.003; in a family of 4 Holm makes it 0.0039 > 0.003.
    const alone = decideAtLook([up], [true], { alpha: 0.003, thresholdPct: 2 });
    expect(alone[0]?.kind).toBe('regressed');
    const inFamily = decideAtLook(family, [true, false, false, false], { alpha: 0.003, thresholdPct: 2 });
    expect(inFamily[0]?.kind).toBe('inconclusive');
    expect(inFamily[0]?.details).toMatchObject({ familySize: 4, correction: 'holm' });
    expect(inFamily.slice(1)).toEqual([null, null, null]);
    expect(decideAtLook(family, [true, false, false, false], { alpha: 0.01, thresholdPct: 2 })[0]?.kind).toBe(
      'regressed',
    );
  });
});

/** Heavy-tailed symmetric noise: mostly N(0, σ), sometimes a 2× outlier either way. */
function noisyRound(random: () => number, sigma: number): number {
  const u = Math.max(1e-12, random());
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  const outlier = random() < 0.05 ? (random() < 0.5 ? -1 : 1) * Math.log(2) : 0;
  return sigma * z + outlier;
}

async function simulate(
  trials: number,
  m: number,
  shiftOfFirst: number,
  seed: number,
): Promise<{ anyRegressed: number; firstRegressed: number }> {
  const random = seededRandom(seed);
  const looks = lookSchedule({ benchmarks: m, alpha: 0.05, minRounds: 6, maxRounds: 20 });
  let anyRegressed = 0;
  let firstRegressed = 0;
  for (let t = 0; t < trials; t++) {
    const d: number[][] = Array.from({ length: m }, () => []);
    const out = await runSequentialLooks(
      m,
      { looks, thresholdPct: 1, minRounds: 6, timeBudget: Infinity },
      {
        measure: async () => d.forEach((x, i) => x.push(noisyRound(random, 0.03) + (i === 0 ? shiftOfFirst : 0))),
        logRatios: () => d,
        elapsed: () => 0,
        estimate: () => 0,
      },
    );
    if (out.verdicts.some((v) => v?.kind === 'regressed')) anyRegressed++;
    if (out.verdicts[0]?.kind === 'regressed') firstRegressed++;
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
    const out = await runSequentialLooks(
      1,
      { looks: [{ rounds: 4, alpha: 0.01 }], thresholdPct: 1, minRounds: 2, timeBudget: Infinity, roundsDone: 1 },
      {
        measure: async (round) => void (asked.push(round), d[0]?.push(0.01)),
        logRatios: () => d,
        elapsed: () => 0,
        estimate: () => 0,
      },
    );
    expect(asked).toEqual([2, 3, 4]);
    expect(out.rounds).toBe(4);
  });

  it('stops a steady benchmark as unchanged at a screening and gives the rounds to the one in doubt', async () => {
    const random = seededRandom(3);
    const d: number[][] = [[], []];
    const measured: number[][] = [[], []];
    const out = await runSequentialLooks(
      2,
      {
        looks: [
          { rounds: 16, alpha: 0.005 },
          { rounds: 24, alpha: 0.005 },
        ],
        thresholdPct: 1,
        minRounds: 6,
        timeBudget: Infinity,
      },
      {
        measure: async (round, active) =>
          active.forEach((on, i) => {
            if (!on) return;
            measured[i]?.push(round);
            // Benchmark 0: 0.2% noise, no change. Benchmark 1: 4% slower under 1% noise.
            d[i]?.push(i === 0 ? 0.002 * (random() - 0.5) : Math.log(1.04) + 0.01 * (random() - 0.5));
          }),
        logRatios: () => d,
        elapsed: () => 0,
        estimate: () => 0,
      },
    );
    expect(measured[0]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(out.verdicts[0]).toMatchObject({ kind: 'unchanged', details: { screening: true, lookAlpha: 0 } });
    expect(measured[1]).toHaveLength(16);
    expect(out.verdicts[1]?.kind).toBe('regressed');
  });

  it('never flags a regression at a screening, and keeps measuring to the first look whatever the budget', async () => {
    const d = [[] as number[]];
    const out = await runSequentialLooks(
      1,
      {
        looks: [
          { rounds: 10, alpha: 0.01 },
          { rounds: 20, alpha: 0.01 },
        ],
        thresholdPct: 1,
        minRounds: 6,
        timeBudget: 0,
      },
      {
        measure: async () => void d[0]?.push(Math.log(2) + 0.001 * d[0].length),
        logRatios: () => d,
        elapsed: () => 1e9,
        estimate: () => 1,
      },
    );
    // Screenings at 6 and 8 cannot decide "regressed" (2× slower every round): the look at 10 does.
    expect(out.rounds).toBe(10);
    expect(out.verdicts[0]).toMatchObject({ kind: 'regressed', details: { look: 1 } });
  });

  it('without screenings measures every benchmark to the first look', async () => {
    const d: number[][] = [[]];
    let calls = 0;
    await runSequentialLooks(
      1,
      { looks: [{ rounds: 12, alpha: 0.01 }], thresholdPct: 5, minRounds: 6, timeBudget: Infinity, screening: false },
      {
        measure: async (_r, active) => void (active[0] && (calls++, d[0]?.push(0))),
        logRatios: () => d.map((x) => x.map((_, i) => (i % 2 ? 1e-4 : -1e-4))),
        elapsed: () => 0,
        estimate: () => 0,
      },
    );
    expect(calls).toBe(12);
  });

  it('catches a 5% slowdown under 3% noise with 2× outliers', async () => {
    const { firstRegressed } = await simulate(200, 4, Math.log(1.05), 11);
    expect(firstRegressed).toBeGreaterThan(0.8);
  }, 60_000);
  it('stops at its look a benchmark that could not decide within the last look', async () => {
    const random = seededRandom(11);
    const d: number[][] = [[], []];
    const out = await runSequentialLooks(
      2,
      {
        looks: lookSchedule({ benchmarks: 2, alpha: 0.01, minRounds: 6, maxRounds: 30 }),
        thresholdPct: 1,
        minRounds: 6,
        timeBudget: Infinity,
        screening: false,
      },
      {
        // Benchmark 0: 20% noise, hopeless at a 1% threshold; benchmark 1: 0.2%, steady.
        measure: async (_round, active) =>
          d.forEach((x, i) => active[i] && x.push(noisyRound(random, i === 0 ? 0.2 : 0.002))),
        logRatios: () => d,
        elapsed: () => 0,
        estimate: () => 0,
      },
    );
    const first = lookSchedule({ benchmarks: 2, alpha: 0.01, minRounds: 6, maxRounds: 30 })[0]!.rounds;
    expect(out.verdicts[0]?.kind).toBe('inconclusive');
    expect(out.verdicts[0]?.details).toMatchObject({ stoppedEarly: 'beyond reach' });
    expect(out.verdicts[0]?.details.roundsToDecide).toBeGreaterThan(45);
    expect(d[0]).toHaveLength(first);
    expect(out.verdicts[1]?.kind).toBe('unchanged');
  });

  it('gives a budget too small for every inconclusive benchmark to the ones closest to deciding', async () => {
    // The same symmetric pattern of rounds at three scales: 4%, 2% and 3.5% noise.
    const pattern = [0.9, -1.1, 0.3, -0.2, 1.4, -0.7, 0.1, -0.6, 0.5, -0.4];
    const d: number[][] = [[], [], []];
    let spent = 0;
    const looks = [
      { rounds: 8, alpha: 0.005 },
      { rounds: 60, alpha: 0.005 },
    ];
    const out = await runSequentialLooks(
      3,
      // One second per benchmark and round: after the first look (24 s) the budget has room for
      // one benchmark's 52 more rounds.
      { looks, thresholdPct: 1, minRounds: 6, timeBudget: 24 + 52, screening: false },
      {
        measure: async (_round, active) =>
          d.forEach((x, i) => {
            if (!active[i]) return;
            spent++;
            x.push(((pattern[x.length % pattern.length] as number) * ([0.04, 0.02, 0.035][i] as number)) as number);
          }),
        logRatios: () => d,
        elapsed: () => spent,
        estimate: (rounds, active) => rounds * active.filter(Boolean).length,
      },
    );
    expect(d.map((x) => x.length)).toEqual([8, 60, 8]);
    expect(out.verdicts[1]?.kind).not.toBe('inconclusive');
    for (const i of [0, 2]) expect(out.verdicts[i]?.details).toMatchObject({ stoppedEarly: 'budget to closer' });
  });

  describe('a benchmark too noisy for the suite threshold', () => {
    const looks = [
      { rounds: 16, alpha: 0.005 },
      { rounds: 40, alpha: 0.005 },
    ];
    /** Three steady benchmarks (0.5% noise) and a noisy one (6%), the noisy one shifted by `shift`. */
    async function run(thresholdPct: number | null, shift: number, seed: number) {
      const random = seededRandom(seed);
      const d: number[][] = [[], [], [], []];
      const normal = () => Math.sqrt(-2 * Math.log(Math.max(1e-12, random()))) * Math.cos(2 * Math.PI * random());
      return runSequentialLooks(
        4,
        { looks, thresholdPct, minRounds: 6, timeBudget: Infinity },
        {
          measure: async (_r, active) =>
            d.forEach((x, i) => active[i] && x.push(i === 3 ? shift + 0.06 * normal() : 0.005 * normal())),
          logRatios: () => d,
          elapsed: () => 0,
          estimate: () => 0,
        },
      );
    }

    it('gets the threshold its own noise resolves, and the verdict says so', async () => {
      let unchanged = 0;
      const own: number[] = [];
      for (let seed = 1; seed <= 20; seed++) {
        const out = await run(null, 0, seed);
        for (const v of out.verdicts.slice(0, 3)) expect(v?.thresholdPct).toBe(out.thresholdPct);
        const noisy = out.verdicts[3]!;
        expect(noisy.kind).not.toBe('regressed');
        own.push(noisy.thresholdPct!);
        expect(noisy.details).toMatchObject({ thresholdSource: 'own-noise', familyThresholdPct: out.thresholdPct });
        expect(noisy.reason).toMatch(/Its threshold, ±[\d.]+%, is what 40 rounds of its own noise \([\d.]+% a round\)/);
        if (noisy.kind === 'unchanged') unchanged++;
      }
      expect(unchanged).toBeGreaterThanOrEqual(15);
      // 6% a round over 40 rounds resolves about 4.2 · 6 / √40 ≈ 4%.
      own.sort((a, b) => a - b);
      expect(own[10]).toBeGreaterThan(3.2);
      expect(own[10]).toBeLessThan(4.8);
    });

    it('keeps a configured threshold for every benchmark', async () => {
      const out = await run(1, 0, 1);
      expect(out.verdicts[3]).toMatchObject({ kind: 'inconclusive', thresholdPct: 1 });
      expect(out.verdicts[3]?.details.thresholdSource).not.toBe('own-noise');
    });

    it('still catches a slowdown well beyond its own threshold', async () => {
      for (let seed = 1; seed <= 5; seed++) {
        const out = await run(null, Math.log(1.12), seed);
        expect(out.verdicts[3]).toMatchObject({ kind: 'regressed', details: { thresholdSource: 'own-noise' } });
      }
    });
  });
});
