/**
 * Rung 3: the typed ikj loop over cache blocks, so a kBlock×jBlock block of B (128 KiB) stays in
 * L2 while every row of A sweeps it, instead of streaming all of B from memory once per row.
 */
import type { MatmulFixture } from './fixture.js';

const K_BLOCK = 64;
const J_BLOCK = 256;

/** C = A·B into `c` (overwritten), blocked over k and j with unit-stride inner loops. */
export function multiplyBlocked(a: Float64Array, b: Float64Array, c: Float64Array, n: number): void {
  c.fill(0);
  for (let j0 = 0; j0 < n; j0 += J_BLOCK) {
    const j1 = Math.min(n, j0 + J_BLOCK);
    for (let k0 = 0; k0 < n; k0 += K_BLOCK) {
      const k1 = Math.min(n, k0 + K_BLOCK);
      for (let i = 0; i < n; i++) {
        const ci = i * n;
        for (let k = k0; k < k1; k++) {
          const aik = a[ci + k] as number;
          const bk = k * n;
          for (let j = j0; j < j1; j++) c[ci + j] = (c[ci + j] as number) + aik * (b[bk + j] as number);
        }
      }
    }
  }
}

/** Times the blocked product into a preallocated output. */
export function prepareBlocked(f: MatmulFixture): { run: () => Float64Array } {
  const c = new Float64Array(f.n * f.n);
  return { run: () => (multiplyBlocked(f.a, f.b, c, f.n), c) };
}
