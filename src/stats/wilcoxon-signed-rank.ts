/**
 * Wilcoxon signed-rank test of "the values are symmetric about zero", as scipy.stats.wilcoxon
 * computes it with its defaults (zero_method='wilcox', correction=False, method='auto').
 */
import { averageRanks } from './average-ranks.js';
import { normalCdf, normalSf } from './normal-cdf.js';
import { signedRankCdf, signedRankSf } from './signed-rank-distribution.js';
import type { Alternative } from './types.js';

/** How the p-value was obtained. */
export type WilcoxonMethod = 'exact' | 'permutation' | 'normal';

/** Options of {@link wilcoxonSignedRank}; every default is scipy's. */
export interface WilcoxonOptions {
  alternative?: Alternative;
  /** `auto` (scipy's rule, below), or force `exact` / `normal`. */
  method?: 'auto' | 'exact' | 'normal';
  /** Continuity correction of the normal approximation (scipy's `correction`, default false). */
  correction?: boolean;
}

/** The test's outcome: scipy's statistic and p-value plus what a report needs to explain them. */
export interface WilcoxonResult {
  /** min(T⁺, T⁻) for two-sided, T⁺ otherwise (as scipy reports it). */
  statistic: number;
  pValue: number;
  /** Number of non-zero values, the sample size the test works with. */
  n: number;
  /** Zeros dropped (zero_method='wilcox'). */
  zeros: number;
  rPlus: number;
  rMinus: number;
  /** Standardised T⁺ when the normal approximation was used, else null. */
  z: number | null;
  method: WilcoxonMethod;
}

// scipy: method='auto' goes to the normal approximation above 50 values, and enumerates all
// sign flips when there are ties or zeros and 2ⁿ is below its 9,999 resamples (n ≤ 13).
const EXACT_MAX_N = 50;
const PERMUTATION_MAX_N = 13;

/** Wilcoxon signed-rank test on paired differences `d`; null when no non-zero value is left. */
export function wilcoxonSignedRank(d: readonly number[], options: WilcoxonOptions = {}): WilcoxonResult | null {
  const alternative = options.alternative ?? 'two-sided';
  const correction = options.correction ?? false;
  if (d.some((x) => !Number.isFinite(x))) throw new RangeError('wilcoxonSignedRank: values must be finite');

  // zero_method='wilcox': zeros carry no sign, so they are dropped before ranking.
  const nonZero = d.filter((x) => x !== 0);
  const zeros = d.length - nonZero.length;
  const n = nonZero.length;
  if (n === 0) return null;

  const { ranks, tieSizes } = averageRanks(nonZero.map(Math.abs));
  let rPlus = 0;
  let rMinus = 0;
  for (let i = 0; i < n; i++) {
    if ((nonZero[i] as number) > 0) rPlus += ranks[i] as number;
    else rMinus += ranks[i] as number;
  }
  const hasTies = tieSizes.some((t) => t > 1);

  let method: WilcoxonMethod;
  if (options.method === 'exact') method = 'exact';
  else if (options.method === 'normal') method = 'normal';
  else if (d.length > EXACT_MAX_N) method = 'normal';
  else if (!hasTies && zeros === 0) method = 'exact';
  else if (d.length <= PERMUTATION_MAX_N) method = 'permutation';
  else method = 'normal';

  let pValue: number;
  let z: number | null = null;
  if (method === 'exact') {
    // With ties T⁺ may be a half-integer: round towards the conservative side, as scipy does.
    const less = signedRankCdf(Math.ceil(rPlus), n);
    const greater = signedRankSf(Math.floor(rPlus), n);
    pValue = pick(alternative, less, greater);
  } else if (method === 'permutation') {
    pValue = enumerateSignFlips(ranks, rPlus, alternative);
  } else {
    const mean = (n * (n + 1)) / 4;
    const tieTerm = tieSizes.reduce((s, t) => s + t * t * t - t, 0);
    const se = Math.sqrt((n * (n + 1) * (2 * n + 1) - tieTerm / 2) / 24);
    z = (rPlus - mean) / se;
    if (correction) {
      const sign = alternative === 'greater' ? 1 : alternative === 'less' ? -1 : Math.sign(z);
      z -= (sign * 0.5) / se;
    }
    pValue = pick(alternative, normalCdf(z), normalSf(z));
  }
  const statistic = alternative === 'two-sided' ? Math.min(rPlus, rMinus) : rPlus;
  return { statistic, pValue, n, zeros, rPlus, rMinus, z, method };
}

function pick(alternative: Alternative, less: number, greater: number): number {
  if (alternative === 'less') return Math.min(1, less);
  if (alternative === 'greater') return Math.min(1, greater);
  return Math.min(1, 2 * Math.min(less, greater));
}

/** Exact conditional p-value over all 2ⁿ sign assignments of the (tied) ranks. */
function enumerateSignFlips(ranks: readonly number[], observed: number, alternative: Alternative): number {
  const n = ranks.length;
  const total = 2 ** n;
  // scipy.stats.permutation_test counts ties within a relative tolerance of 100 ulps.
  const gamma = Math.abs(observed) * 100 * Number.EPSILON;
  let atMost = 0;
  let atLeast = 0;
  for (let mask = 0; mask < total; mask++) {
    let sum = 0;
    for (let i = 0; i < n; i++) if (mask & (1 << i)) sum += ranks[i] as number;
    if (sum <= observed + gamma) atMost++;
    if (sum >= observed - gamma) atLeast++;
  }
  return pick(alternative, atMost / total, atLeast / total);
}
