import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/random.js';
import { decideSuite } from '../../../src/stats/decide-suite.js';
import { holm } from '../../../src/stats/holm.js';
import { wilcoxonSignedRank } from '../../../src/stats/wilcoxon-signed-rank.js';

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Per-round log ratios with process noise and occasional 2× outlier rounds. */
function rounds(random: () => number, n: number, shift: number, sd = 0.03): number[] {
  return Array.from({ length: n }, () => {
    const outlier = random() < 0.05 ? Math.log(2) * (random() < 0.5 ? 1 : -1) : 0;
    return shift + sd * gaussian(random) + outlier;
  });
}

describe('decideSuite', () => {
  it('adjusts the one-sided p-values with Holm across the benchmarks', () => {
    const random = seededRandom(11);
    const suite = [rounds(random, 20, 0.05), rounds(random, 20, 0), rounds(random, 20, 0.02)];
    const verdicts = decideSuite(suite, { thresholdPct: 1, test: 'wilcoxon' });
    const raw = suite.map((d) => wilcoxonSignedRank(d, { alternative: 'greater' })?.pValue as number);
    const adjusted = holm(raw);
    verdicts.forEach((v, i) => {
      expect(v.details.pGreater).toBe(adjusted[i]);
      expect(v.details.correction).toBe('holm');
      expect(v.details.familySize).toBe(3);
    });
    expect(verdicts[0]?.kind).toBe('regressed');
  });

  it('keeps the family-wise false-alarm rate of A/A suites under alpha (20 benchmarks, outliers)', () => {
    const random = seededRandom(2024);
    const trials = 300;
    let alarms = 0;
    for (let t = 0; t < trials; t++) {
      const suite = Array.from({ length: 20 }, () => rounds(random, 15, 0));
      if (decideSuite(suite, { alpha: 0.05, thresholdPct: 0 }).some((v) => v.kind === 'regressed')) alarms++;
    }
    // Holm at 5% with no threshold: the rate must be at most 5% (+ sampling slack of 300 trials).
    expect(alarms / trials).toBeLessThanOrEqual(0.08);
  });

  it('finds a 5% slowdown of one benchmark among 20 in 20 rounds despite outlier rounds', () => {
    const random = seededRandom(7);
    let found = 0;
    for (let t = 0; t < 20; t++) {
      const suite = Array.from({ length: 20 }, (_, i) => rounds(random, 20, i === 3 ? Math.log(1.05) : 0, 0.02));
      const verdicts = decideSuite(suite, { thresholdPct: 2 });
      if (verdicts[3]?.kind === 'regressed') found++;
      expect(verdicts.filter((v, i) => i !== 3 && v.kind === 'regressed').length).toBe(0);
    }
    expect(found).toBeGreaterThanOrEqual(16);
  });

  it('derives the threshold from the noise when none is configured, and says so', () => {
    const random = seededRandom(3);
    const verdicts = decideSuite([rounds(random, 10, 0), rounds(random, 10, 0)]);
    expect(verdicts[0]?.thresholdPct).toBeGreaterThanOrEqual(1);
    expect(verdicts[0]?.details.thresholdSource).toBe('default-from-noise');
  });

  it('leaves benchmarks with too few rounds out of the family', () => {
    const random = seededRandom(5);
    const verdicts = decideSuite([rounds(random, 3, 0.1), rounds(random, 12, 0)], { thresholdPct: 1 });
    expect(verdicts[0]?.kind).toBe('inconclusive');
    expect(verdicts[1]?.details.familySize).toBe(1);
  });
});
