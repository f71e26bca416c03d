/**
 * Rung 3, in C++ (native/src/simd/select*.cc): six vector compares per 8 (AVX-512) or 4 (AVX2)
 * points and a masked compress of the passing indices, in one pass into an output allocated once
 * (room for every point, so no count pass and no growth). `native-parallel` gives each thread its
 * own slice of the output and moves the slices together at the end.
 */
import { loadNative } from '../../src/addon/index.js';
import type { SelectFixture, Selection } from './fixture.js';

/** Prepares the native call with its output buffer. */
export function prepareNativeSelect(f: SelectFixture, threads: number): { run: () => Selection } {
  const addon = loadNative();
  const indices = new Uint32Array(f.cloud.count);
  return { run: () => ({ indices, count: addon.selectRun(f.cloud.chunks, f.query, indices, threads) }) };
}
