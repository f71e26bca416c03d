/** Rung 2: flat Float64Arrays and the cache-friendly ikj loop order (unit stride over B and C). */
import type { MatmulFixture } from './fixture.js';

/** C = A·B into `c` (overwritten), ikj order. */
export function multiplyTyped(a: Float64Array, b: Float64Array, c: Float64Array, n: number): void {
  c.fill(0);
  for (let i = 0; i < n; i++) {
    const ci = i * n;
    for (let k = 0; k < n; k++) {
      const aik = a[ci + k] as number;
      const bk = k * n;
      for (let j = 0; j < n; j++) c[ci + j] = (c[ci + j] as number) + aik * (b[bk + j] as number);
    }
  }
}

/** Times the product into a preallocated output. */
export function prepareTyped(f: MatmulFixture): { run: () => Float64Array } {
  const c = new Float64Array(f.n * f.n);
  return { run: () => (multiplyTyped(f.a, f.b, c, f.n), c) };
}
