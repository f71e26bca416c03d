/**
 * Rungs 4–6, in C++ (native/src/simd): blocked scalar loops, the packed SIMD kernel (AVX-512 or
 * AVX2 chosen at run time), and the SIMD kernel over threads. Outputs are allocated once here.
 */
import { loadNative } from '../../src/addon/index.js';
import type { MatmulFixture } from './fixture.js';

/** Which native variant to time. */
export type NativeVariant = 'scalar' | 'simd' | 'parallel';

/** Prepares one native product; `threads` applies to `parallel` (default: hardware concurrency). */
export function prepareNative(f: MatmulFixture, variant: NativeVariant, threads?: number): { run: () => Float64Array } {
  const addon = loadNative();
  const c = new Float64Array(f.n * f.n);
  const { a, b, n } = f;
  switch (variant) {
    case 'scalar':
      return { run: () => addon.matmulScalar(a, b, c, n) };
    case 'simd':
      return { run: () => addon.matmulSimd(a, b, c, n) };
    case 'parallel': {
      const t = threads ?? addon.defaultThreads();
      return { run: () => addon.matmulParallel(a, b, c, n, t) };
    }
  }
}
