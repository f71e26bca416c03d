/**
 * Quantiles of Student's t for integer degrees of freedom, by bisection on {@link studentTCdf}.
 */
import { studentTCdf } from './student-t-cdf.js';

/** t such that P(T ≤ t) = p for Student's t with `df` degrees of freedom (p in (0, 1)). */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1), got ${p}`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p) hi *= 2;
  // 200 halvings reach the resolution of doubles long before they run out.
  for (let i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
