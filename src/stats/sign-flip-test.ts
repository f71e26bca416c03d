/**
 * Sign-flip permutation test of "the values are symmetric about zero" with the sum (equivalently
 * the mean) as statistic: exact over all 2ⁿ sign assignments for small n, seeded Monte Carlo above.
 */
import { seededRandom } from '../random.js';
import type { Alternative } from './types.js';

/** Options of {@link signFlipTest}. */
export interface SignFlipOptions {
  alternative?: Alternative;
  /** Random sign assignments drawn when n is above `exactMaxN` (default 10,000). */
  iterations?: number;
  /** Seed of the Monte Carlo draws, so a p-value can be reproduced (default 1). */
  seed?: number;
  /** Largest n enumerated exactly (default 20: about a million assignments). */
  exactMaxN?: number;
}

/** One-sample sign-flip p-value for `d`; null when `d` is empty. */
export function signFlipTest(d: readonly number[], options: SignFlipOptions = {}): number | null {
  const alternative = options.alternative ?? 'two-sided';
  const iterations = options.iterations ?? 10_000;
  const exactMaxN = options.exactMaxN ?? 20;
  const n = d.length;
  if (n === 0) return null;
  if (d.some((x) => !Number.isFinite(x))) throw new RangeError('signFlipTest: values must be finite');

  let observed = 0;
  let scale = 0;
  for (const x of d) {
    observed += x;
    scale += Math.abs(x);
  }
  // Sums of the same values in another order differ by rounding only; count those as ties.
  const tol = 1e-12 * scale;

  let atMost = 0;
  let atLeast = 0;
  let total: number;
  let plusOne: number;
  if (n <= exactMaxN) {
    total = 2 ** n;
    plusOne = 0; // the observed assignment is among the enumerated ones
    for (let mask = 0; mask < total; mask++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += mask & (1 << i) ? -(d[i] as number) : (d[i] as number);
      if (sum <= observed + tol) atMost++;
      if (sum >= observed - tol) atLeast++;
    }
  } else {
    if (!(Number.isInteger(iterations) && iterations > 0))
      throw new RangeError(`iterations must be a positive integer, got ${iterations}`);
    const random = seededRandom(options.seed ?? 1);
    total = iterations;
    plusOne = 1; // the observed assignment counts as one draw: a valid p-value, never 0
    for (let it = 0; it < iterations; it++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += random() < 0.5 ? -(d[i] as number) : (d[i] as number);
      if (sum <= observed + tol) atMost++;
      if (sum >= observed - tol) atLeast++;
    }
  }
  const less = (atMost + plusOne) / (total + plusOne);
  const greater = (atLeast + plusOne) / (total + plusOne);
  if (alternative === 'less') return less;
  if (alternative === 'greater') return greater;
  return Math.min(1, 2 * Math.min(less, greater));
}
