/**
 * The inverse of the standard normal distribution function, to full double precision.
 */
import { probit } from 'simple-statistics';
import { normalCdf } from './normal-cdf.js';

/** z such that P(Z ≤ z) = p for a standard normal Z (NaN outside [0, 1], ±Infinity at 0 and 1). */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p > 0.5) return -normalQuantile(1 - p);
  if (p === 0.5) return 0;
  // Start from simple-statistics' probit (good to ~1e-7 but saturating near −8.7), or from the
  // tail asymptote for tiny p, then Newton on ln Φ(z) − ln p, which stays well-conditioned in the
  // far tail where Φ itself is subnormal.
  let z: number;
  if (p > 1e-15) z = probit(p);
  else {
    const l = -2 * Math.log(p);
    z = -Math.sqrt(l - Math.log(l) - Math.log(2 * Math.PI));
  }
  const logP = Math.log(p);
  for (let i = 0; i < 50; i++) {
    const cdf = normalCdf(z);
    const logPdf = -0.5 * z * z - 0.5 * Math.log(2 * Math.PI);
    const step = (Math.log(cdf) - logP) / Math.exp(logPdf - Math.log(cdf));
    z -= step;
    if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(z))) break;
  }
  return z;
}
