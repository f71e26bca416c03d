/**
 * Student's t distribution function for integer degrees of freedom, by the finite trigonometric
 * series (Abramowitz & Stegun 26.7.3–4), exact up to rounding and with no special functions.
 */

/** P(T ≤ t) for Student's t with `df` (a positive integer) degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  if (!(Number.isInteger(df) && df >= 1)) throw new RangeError(`df must be a positive integer, got ${df}`);
  if (Number.isNaN(t)) return Number.NaN;
  if (t === Number.POSITIVE_INFINITY) return 1;
  if (t === Number.NEGATIVE_INFINITY) return 0;
  const theta = Math.atan(Math.abs(t) / Math.sqrt(df));
  const s = Math.sin(theta);
  const c2 = Math.cos(theta) ** 2;
  // a = P(|T| < |t|)
  let a: number;
  if (df % 2 === 1) {
    let sum = 0;
    if (df > 1) {
      let term = 1;
      sum = 1;
      for (let k = 3; k <= df - 2; k += 2) {
        term *= ((k - 1) / k) * c2;
        sum += term;
      }
    }
    a = (2 / Math.PI) * (theta + s * Math.cos(theta) * sum);
  } else {
    let term = 1;
    let sum = 1;
    for (let k = 2; k <= df - 2; k += 2) {
      term *= ((k - 1) / k) * c2;
      sum += term;
    }
    a = s * sum;
  }
  a = Math.min(1, Math.max(0, a));
  return t >= 0 ? 0.5 + a / 2 : 0.5 - a / 2;
}
