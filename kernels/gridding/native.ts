/**
 * Rungs 3–4, in C++ (native/src/simd/gridding*.cc): cell indices computed a vector of points at a
 * time (AVX-512 or AVX2, chosen at run time), runs of equal cells merged in registers, one private
 * accumulator grid per thread (kept between calls, freed at teardown). `native-simd` is one
 * thread; `native-parallel` uses `threads`.
 */
import { loadNative } from '../../src/addon/index.js';
import type { GriddingFixture, GridResult } from './fixture.js';
import { allocateGrid } from './fixture.js';

/** Prepares the native call into output arrays allocated once. */
export function prepareNativeGridding(
  f: GriddingFixture,
  threads: number,
): { run: () => GridResult; teardown: () => void } {
  const addon = loadNative();
  const out = allocateGrid(f.grid);
  return {
    run: () => (addon.griddingRun(f.cloud.chunks, f.grid, out, threads), out),
    // The addon keeps its accumulator grids between calls; freeing them here lets the next
    // benchmark in this process count its own.
    teardown: () => void addon.griddingReleasePool(),
  };
}
