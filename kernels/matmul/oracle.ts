/**
 * The matmul correctness oracle: a straightforward ikj product in FP64, and the tolerance an
 * implementation must meet. Summation order differs between implementations (blocking, FMA,
 * SIMD lanes), so results differ by rounding: the bound grows with n·eps·|A||B|.
 */
import type { MatmulFixture } from './fixture.js';

/** Reference product C = A·B. */
export function referenceProduct({ n, a, b }: MatmulFixture): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k] as number;
      for (let j = 0; j < n; j++) c[i * n + j] = (c[i * n + j] as number) + aik * (b[k * n + j] as number);
    }
  }
  return c;
}

/** Largest absolute error allowed per element: entries are in [-1, 1), so |A||B| ≤ n. */
export function matmulTolerance(n: number): number {
  return 4 * n * n * Number.EPSILON;
}

/** Returns null when `c` matches the reference within tolerance, else a description of the worst miss. */
export function checkProduct(fixture: MatmulFixture, c: Float64Array): string | null {
  const ref = referenceProduct(fixture);
  const tol = matmulTolerance(fixture.n);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < ref.length; i++) {
    const err = Math.abs((ref[i] as number) - (c[i] as number));
    if (!(err <= worst)) {
      worst = err;
      at = i;
    }
  }
  return worst <= tol ? null : `element ${at} off by ${worst} (tolerance ${tol})`;
}
