import { describe, expect, it } from 'vitest';
import { cappedCritical, cappedScores, cappedSignedRank } from '../../../src/stats/capped-signed-rank.js';
import { averageRanks } from '../../../src/stats/average-ranks.js';
import { seededRandom } from '../../../src/random.js';
import { expectClose, loadCases } from './fixture.js';

const wilcoxon =
  loadCases<{ name: string; d: number[]; alternative: string; options: object; pValue: number; method: string }[]>(
    'wilcoxon-signed-rank',
  );

/** P(S⁺ ≥ observed) over all 2ⁿ sign patterns of the scores min(rank, cap): the definition, brute force. */
function enumerated(d: number[], capShare: number): { greater: number; less: number } {
  const x = d.filter((v) => v !== 0);
  const { ranks } = averageRanks(x.map(Math.abs));
  const cap = Math.ceil(capShare * x.length);
  const scores = ranks.map((r) => Math.min(r, cap));
  const plus = scores.reduce((s, a, i) => s + ((x[i] as number) > 0 ? a : 0), 0);
  const minus = scores.reduce((s, a) => s + a, 0) - plus;
  let ge = 0;
  let geMinus = 0;
  for (let mask = 0; mask < 2 ** x.length; mask++) {
    const s = scores.reduce((sum, a, i) => sum + ((mask >> i) & 1 ? a : 0), 0);
    if (s >= plus - 1e-9) ge++;
    if (s >= minus - 1e-9) geMinus++;
  }
  return { greater: ge / 2 ** x.length, less: geMinus / 2 ** x.length };
}

describe('cappedSignedRank', () => {
  it('with the cap at n is the exact Wilcoxon signed-rank test (scipy’s p-values)', () => {
    const oneSided = wilcoxon.filter(
      (c) => c.alternative !== 'two-sided' && Object.keys(c.options).length === 0 && c.method === 'exact',
    );
    expect(oneSided.length).toBeGreaterThanOrEqual(8);
    for (const c of oneSided) {
      const r = cappedSignedRank(c.d, 1);
      expectClose(c.alternative === 'greater' ? r.greater : r.less, c.pValue, 1e-9);
    }
  });

  it('gives the exact permutation p-values of its capped scores (all 2ⁿ sign patterns), with ties and zeros', () => {
    const random = seededRandom(3);
    const cases = [
      Array.from({ length: 12 }, () => random() - 0.4),
      Array.from({ length: 14 }, () => 0.02 * (random() - 0.3)),
      [0.01, -0.01, 0.02, 0.02, -0.03, 0.05, 0, 0.04, -0.02, 0.01, 0.03], // ties and a zero
    ];
    for (const d of cases) {
      for (const share of [1 / 3, 0.5, 1]) {
        const r = cappedSignedRank(d, share);
        const e = enumerated(d, share);
        expectClose(r.greater, e.greater, 1e-12);
        expectClose(r.less, e.less, 1e-12);
        expect(r.method).toBe('exact');
      }
    }
  });

  it('caps the scores at a third of the rounds by default: the two largest rounds weigh no more than the next', () => {
    // Same 9 quiet rounds; the two wild ones positive, or negative. Wilcoxon moves a lot, capped little.
    const quiet = [0.004, 0.011, -0.006, 0.009, 0.013, 0.002, 0.007, -0.003, 0.012];
    const up = cappedSignedRank([...quiet, 0.3, 0.25]).greater;
    const down = cappedSignedRank([...quiet, -0.3, -0.25]).greater;
    const wUp = cappedSignedRank([...quiet, 0.3, 0.25], 1).greater;
    const wDown = cappedSignedRank([...quiet, -0.3, -0.25], 1).greater;
    expect(down / up).toBeLessThan(wDown / wUp);
    expect(cappedSignedRank(quiet).cap).toBe(3);
  });

  it('uses the normal approximation when the scores are too many to convolve, close to a Monte Carlo of the sign flips', () => {
    const random = seededRandom(5);
    const d = Array.from({ length: 400 }, () => random() - 0.47);
    const r = cappedSignedRank(d);
    expect(r.method).toBe('normal');
    const scores = averageRanks(d.map(Math.abs)).ranks.map((x) => Math.min(x, Math.ceil(400 / 3)));
    const observed = scores.reduce((s, a, i) => s + ((d[i] as number) > 0 ? a : 0), 0);
    let hits = 0;
    for (let t = 0; t < 20000; t++) if (scores.reduce((s, a) => s + (random() < 0.5 ? a : 0), 0) >= observed) hits++;
    expect(Math.abs(r.greater - hits / 20000)).toBeLessThan(0.01);
  });

  it('answers 1 both ways when every ratio is exactly 1, and names bad input', () => {
    expect(cappedSignedRank([0, 0, 0])).toMatchObject({ greater: 1, less: 1, method: 'all-zero' });
    expect(() => cappedSignedRank([0.1, Number.NaN])).toThrow(/finite/);
    expect(() => cappedSignedRank([0.1], 0)).toThrow(/capShare/);
  });
});

describe('cappedCritical', () => {
  it('is the smallest S⁺ (doubled scores) the test rejects at the level', () => {
    for (const [n, level] of [
      [10, 0.05],
      [17, 0.0025 / 40],
      [30, 0.0037 / 40],
      [50, 0.001],
    ] as const) {
      const c = cappedCritical(n, level);
      const scores = cappedScores(n);
      // Signs that give S⁺ = c and c − 2 (scores are even): greedy from the largest score.
      const signsFor = (target: number) => {
        let left = target;
        return scores
          .map((a, i) => [a, i] as const)
          .reverse()
          .map(([a]) => (a <= left ? ((left -= a), 1) : -1))
          .reverse();
      };
      const d = (signs: number[]) => signs.map((s, i) => s * (i + 1) * 1e-3);
      const plus = (signs: number[]) => signs.reduce((s, x, i) => s + (x > 0 ? (scores[i] as number) : 0), 0);
      const at = signsFor(c);
      const below = signsFor(c - 2);
      expect([plus(at), plus(below)]).toEqual([c, c - 2]);
      expect(cappedSignedRank(d(at)).greater).toBeLessThan(level);
      expect(cappedSignedRank(d(below)).greater).toBeGreaterThanOrEqual(level);
    }
    // The Wilcoxon case (cap at n): n = 10, one-sided 5%, reject for W⁺ ≥ 45 (doubled: 90).
    expect(cappedCritical(10, 0.05, 1)).toBe(90);
  });

  it('is infinite when even every round positive cannot reach the level (2⁻ⁿ ≥ level)', () => {
    expect(cappedCritical(10, 0.0001)).toBe(Number.POSITIVE_INFINITY);
    expect(cappedCritical(14, 2 ** -14)).toBe(Number.POSITIVE_INFINITY);
    expect(cappedCritical(14, 2 ** -14 * 1.01)).toBe(cappedScores(14).reduce((a, b) => a + b, 0));
  });
});
