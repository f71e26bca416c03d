/**
 * The reference rung: OpenBLAS's dgemm, loaded at run time and run with its best kernel for this
 * CPU and as many threads as native-parallel, so "ratio to a tuned BLAS" is measured fairly.
 */
import { loadOpenblas } from '../../src/addon/openblas.js';
import type { MatmulFixture } from './fixture.js';

/** Prepares cblas_dgemm on the fixture; `threads` defaults to native-parallel's default. */
export function prepareOpenblas(f: MatmulFixture, threads?: number): { run: () => Float64Array } {
  const { addon } = loadOpenblas(threads);
  const c = new Float64Array(f.n * f.n);
  const { a, b, n } = f;
  return { run: () => addon.matmulOpenblas(a, b, c, n) };
}
