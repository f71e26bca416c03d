/**
 * A signed-rank test whose scores stop growing at a third of the rounds: S⁺ = Σ a(rᵢ)·[dᵢ > 0]
 * with a(r) = min(r, ⌈n/3⌉), r the rank of |dᵢ| (ties averaged, zeros dropped). It is the
 * Wilcoxon signed-rank test for the quietest third of the rounds and a sign test beyond: a
 * Huber-type score function, the locally best rank test for a normal core with heavier tails.
 *
 * Why. The rounds that hold compare's power back are heavy-tailed: a core within ±2–3% and 5–15%
 * of rounds at ±10–30% (per-process effects: a side's code or heap landing slow). The Wilcoxon
 * test gives exactly those rounds its largest weights, and their signs are coin flips even under a
 * real slowdown; capping the scores catches more of the small slowdowns at the same level
 * (docs/method/compare.md has the measurements).
 *
 * Validity is that of any signed-rank test: when nothing changed, the signs are fair coins given
 * the |d|, whatever the scores. The null distribution is exact (a convolution over the scores,
 * doubled to integers for averaged ties) up to {@link EXACT_MAX_TOTAL}, normal above.
 */
import { averageRanks } from './average-ranks.js';
import { normalSf } from './normal-cdf.js';
import { normalQuantile } from './normal-quantile.js';

/** Share of the rounds over which the scores grow; the rest score as the ⌈n/3⌉-th. */
export const CAP_SHARE = 1 / 3;

/** Sum of the (doubled) scores up to which the null distribution is computed exactly. */
const EXACT_MAX_TOTAL = 50_000;

/** One-sided p-values: greater (head slower, d > 0) and less, with how they were computed. */
export interface CappedSignedRankResult {
  greater: number;
  less: number;
  method: 'exact' | 'normal' | 'all-zero';
  /** Rounds left once zeros are dropped, and the rank at which the scores stop growing. */
  n: number;
  cap: number;
}

const cache = new Map<string, Float64Array>();

/**
 * P(S ≥ k) for k = 0…Σ scores, S = Σ scoreᵢ·Bᵢ with fair coins Bᵢ (integer scores, ascending).
 * Kept when `keep`: without ties the scores depend on n only, and a compare asks for the same n
 * over and over; tied ones are computed each time.
 */
function upperTail(scores: readonly number[], keep: boolean): Float64Array {
  const key = scores.join(',');
  const hit = cache.get(key);
  if (hit) return hit;
  const total = scores.reduce((a, b) => a + b, 0);
  let pmf = new Float64Array(total + 1);
  pmf[0] = 1;
  let reach = 0;
  for (const a of scores) {
    const next = new Float64Array(total + 1);
    reach += a;
    for (let k = 0; k <= reach; k++) next[k] = 0.5 * ((pmf[k] as number) + (k >= a ? (pmf[k - a] as number) : 0));
    pmf = next;
  }
  const tail = new Float64Array(total + 2);
  for (let k = total; k >= 0; k--) tail[k] = (tail[k + 1] as number) + (pmf[k] as number);
  if (keep && cache.size < 1024) cache.set(key, tail);
  return tail;
}

/** The doubled scores of n rounds without ties, in rank order: 2·min(r, ⌈capShare·n⌉). */
export function cappedScores(n: number, capShare = CAP_SHARE): number[] {
  const cap = Math.max(1, Math.ceil(capShare * n));
  return Array.from({ length: n }, (_, i) => 2 * Math.min(i + 1, cap));
}

/**
 * The smallest S⁺ (doubled scores, no ties) whose one-sided p-value is below `level` among n
 * rounds: the test rejects when S⁺ ≥ this. Infinity when no S⁺ does (2⁻ⁿ ≥ level).
 */
export function cappedCritical(n: number, level: number, capShare = CAP_SHARE): number {
  const scores = cappedScores(n, capShare);
  const total = scores.reduce((a, b) => a + b, 0);
  if (total > EXACT_MAX_TOTAL) {
    const sd = Math.sqrt(scores.reduce((s, a) => s + a * a, 0) / 4);
    // normalSf((S − total/2)/sd) < level ⟺ S > total/2 + z·sd.
    let k = Math.floor(total / 2 + normalQuantile(1 - level) * sd);
    while (normalSf((k - total / 2) / sd) >= level) k++;
    return k + (k % 2);
  }
  // Doubled scores without ties are even, and so is every S⁺: the smallest even k that rejects.
  const tail = upperTail(scores, true);
  for (let k = 0; k <= total; k += 2) if ((tail[k] as number) < level) return k;
  return Number.POSITIVE_INFINITY;
}

/** The capped signed-rank test of `d` (zeros dropped); p = 1 both ways when every d is zero. */
export function cappedSignedRank(d: readonly number[], capShare = CAP_SHARE): CappedSignedRankResult {
  if (!(capShare > 0 && capShare <= 1)) throw new RangeError(`capShare must be in (0, 1], got ${capShare}`);
  if (d.some((x) => !Number.isFinite(x))) throw new RangeError('d must be finite numbers');
  const x = d.filter((v) => v !== 0);
  const n = x.length;
  const cap = Math.max(1, Math.ceil(capShare * n));
  if (n === 0) return { greater: 1, less: 1, method: 'all-zero', n, cap };
  const { ranks } = averageRanks(x.map(Math.abs));
  // Doubled, so that averaged ranks (multiples of ½) are integers.
  const scores = ranks.map((r) => Math.round(2 * Math.min(r, cap)));
  const total = scores.reduce((a, b) => a + b, 0);
  let plus = 0;
  x.forEach((v, i) => {
    if (v > 0) plus += scores[i] as number;
  });
  const minus = total - plus;
  if (total <= EXACT_MAX_TOTAL) {
    const sorted = [...scores].sort((a, b) => a - b);
    const tail = upperTail(
      sorted,
      sorted.every((a, i) => a === 2 * Math.min(i + 1, cap)),
    );
    return { greater: tail[plus] as number, less: tail[minus] as number, method: 'exact', n, cap };
  }
  const mean = total / 2;
  const sd = Math.sqrt(scores.reduce((s, a) => s + a * a, 0) / 4);
  return { greater: normalSf((plus - mean) / sd), less: normalSf((minus - mean) / sd), method: 'normal', n, cap };
}
