/**
 * The standard normal distribution function to full double precision. simple-statistics'
 * `cumulativeStdNormalProbability` reads a two-decimal table, which is too coarse for p-values
 * that must match scipy to 1e-9 or be compared with a Holm-corrected alpha of 1e-4.
 */

const SQRT1_2 = Math.SQRT1_2;
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/** erf(x) for 0 ≤ x < 2 by the all-positive series e^(−x²)·Σ 2ⁿx^(2n+1)/(2n+1)!!, no cancellation. */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/** erfc(x) for x ≥ 2 by its continued fraction (modified Lentz), accurate in relative terms. */
function erfcContinuedFraction(x: number): number {
  // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …))))
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 5000; k++) {
    const a = k / 2;
    d = x + a * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = x + a / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
}

/** Complementary error function erfc(x) for any real x. */
function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 2 - erfc(-x);
  return x < 2 ? 1 - erfSeries(x) : erfcContinuedFraction(x);
}

/** P(Z ≤ z) for a standard normal Z. */
export function normalCdf(z: number): number {
  // Use the tail form on both sides so that small probabilities keep their relative precision.
  return z < 0 ? erfc(-z * SQRT1_2) / 2 : 1 - erfc(z * SQRT1_2) / 2;
}

/** P(Z > z) for a standard normal Z (the survival function), precise far into the upper tail. */
export function normalSf(z: number): number {
  return normalCdf(-z);
}
