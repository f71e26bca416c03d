/**
 * The exact null distribution of the Wilcoxon signed-rank statistic T⁺ (sum of the ranks of the
 * positive values) for n values without ties or zeros: each rank is positive with probability ½.
 */

const cache = new Map<number, Float64Array>();

/** P(T⁺ = k) for k = 0 … n(n+1)/2, computed by the recursion over ranks and cached per n. */
export function signedRankDistribution(n: number): Float64Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  const cached = cache.get(n);
  if (cached) return cached;
  const max = (n * (n + 1)) / 2;
  // Probabilities (not counts) so that n beyond 1,000 does not overflow 2ⁿ.
  let pmf = new Float64Array(max + 1);
  pmf[0] = 1;
  for (let r = 1; r <= n; r++) {
    const next = new Float64Array(max + 1);
    const top = (r * (r + 1)) / 2;
    for (let k = 0; k <= top; k++) {
      const without = pmf[k] ?? 0;
      const withRank = k >= r ? (pmf[k - r] ?? 0) : 0;
      next[k] = 0.5 * (without + withRank);
    }
    pmf = next;
  }
  cache.set(n, pmf);
  return pmf;
}

/** P(T⁺ ≤ k) under the exact null distribution for n values. */
export function signedRankCdf(k: number, n: number): number {
  const pmf = signedRankDistribution(n);
  let sum = 0;
  const top = Math.min(Math.floor(k), pmf.length - 1);
  for (let i = 0; i <= top; i++) sum += pmf[i] ?? 0;
  return sum;
}

/** P(T⁺ ≥ k) under the exact null distribution for n values. */
export function signedRankSf(k: number, n: number): number {
  const pmf = signedRankDistribution(n);
  let sum = 0;
  for (let i = Math.max(0, Math.ceil(k)); i < pmf.length; i++) sum += pmf[i] ?? 0;
  return sum;
}
