/**
 * Rung 3: what TypeScript can do about memory traffic. The ikj loop runs over cache blocks (a
 * kBlock×jBlock block of B, 128 KiB, stays in L2 while every row of A sweeps it), and four k steps
 * are fused per pass, so each element of C is loaded and stored once per four multiply-adds
 * instead of once per one: in V8 the loads and stores, not the arithmetic, bound the typed rung.
 */
import type { MatmulFixture } from './fixture.js';

const K_BLOCK = 64;
const J_BLOCK = 256;

/** C = A·B into `c` (overwritten), blocked over k and j, four k steps per pass over a row of C. */
export function multiplyBlocked(a: Float64Array, b: Float64Array, c: Float64Array, n: number): void {
  c.fill(0);
  for (let j0 = 0; j0 < n; j0 += J_BLOCK) {
    const j1 = Math.min(n, j0 + J_BLOCK);
    for (let k0 = 0; k0 < n; k0 += K_BLOCK) {
      const k1 = Math.min(n, k0 + K_BLOCK);
      for (let i = 0; i < n; i++) {
        const ci = i * n;
        let k = k0;
        for (; k + 4 <= k1; k += 4) {
          const a0 = a[ci + k] as number;
          const a1 = a[ci + k + 1] as number;
          const a2 = a[ci + k + 2] as number;
          const a3 = a[ci + k + 3] as number;
          const b0 = k * n;
          const b1 = b0 + n;
          const b2 = b1 + n;
          const b3 = b2 + n;
          for (let j = j0; j < j1; j++) {
            c[ci + j] =
              (c[ci + j] as number) +
              a0 * (b[b0 + j] as number) +
              a1 * (b[b1 + j] as number) +
              a2 * (b[b2 + j] as number) +
              a3 * (b[b3 + j] as number);
          }
        }
        for (; k < k1; k++) {
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
