/**
 * Distribution-free confidence interval for the centre of symmetry, from inverting the
 * signed-rank test: order statistics k and M+1−k of the M = n(n+1)/2 sorted Walsh averages
 * (Hollander & Wolfe; R's wilcox.test(conf.int = TRUE)).
 */
import { normalCdf } from './normal-cdf.js';
import { normalQuantile } from './normal-quantile.js';
import { signedRankCdf } from './signed-rank-distribution.js';
import { sortedWalshAverages } from './walsh-averages.js';

/** The interval, the confidence it really has (discrete), and how k was chosen. */
export interface HodgesLehmannInterval {
  low: number;
  high: number;
  /** 1 − 2·P(T⁺ ≤ k−1): at least the confidence asked for when exact. */
  achievedConfidence: number;
  /** 1-based rank of the lower end among the sorted Walsh averages. */
  k: number;
  method: 'exact' | 'normal';
}

const EXACT_MAX_N = 50;

/** Interval of the Hodges–Lehmann estimate; null when n is too small to reach `confidence`. */
export function hodgesLehmannInterval(d: readonly number[], confidence = 0.95): HodgesLehmannInterval | null {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const n = d.length;
  if (n === 0) return null;
  const alpha = 1 - confidence;
  const m = (n * (n + 1)) / 2;
  let k: number;
  let achievedConfidence: number;
  let method: 'exact' | 'normal';
  if (n <= EXACT_MAX_N) {
    method = 'exact';
    // Largest k with P(T⁺ ≤ k−1) ≤ α/2; the exact distribution is symmetric about M/2.
    k = 0;
    while (k < m && signedRankCdf(k, n) <= alpha / 2 + 1e-12) k++;
    if (k === 0) return null;
    achievedConfidence = 1 - 2 * signedRankCdf(k - 1, n);
  } else {
    method = 'normal';
    const mean = m / 2;
    const sd = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24);
    // P(T⁺ ≤ k−1) ≈ Φ((k − ½ − mean)/sd) ≤ α/2, with continuity correction.
    k = Math.floor(mean + 0.5 + normalQuantile(alpha / 2) * sd);
    if (k < 1) return null;
    achievedConfidence = 1 - 2 * normalCdf((k - 0.5 - mean) / sd);
  }
  const w = sortedWalshAverages(d);
  return { low: w[k - 1] as number, high: w[m - k] as number, achievedConfidence, k, method };
}
