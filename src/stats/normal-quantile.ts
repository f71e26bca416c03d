/**
 * The inverse of the standard normal distribution function, to full double precision.
 */
import { probit } from 'simple-statistics';
import { normalCdf } from './normal-cdf.js';

/** z such that P(Z ≤ z) = p for a standard normal Z (NaN outside (0, 1), ±Infinity at 0 and 1). */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  // simple-statistics' probit is good to ~1e-7; Newton steps on the precise CDF polish it.
  let z = probit(p);
  if (!Number.isFinite(z)) z = p < 0.5 ? -8 : 8;
  for (let i = 0; i < 6; i++) {
    const pdf = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    if (pdf === 0) break;
    // Work on the smaller tail so that the residual keeps its relative precision.
    const residual = p < 0.5 ? normalCdf(z) - p : (1 - p) - normalCdf(-z);
    const step = residual / pdf;
    z -= step;
    if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(z))) break;
  }
  return z;
}
