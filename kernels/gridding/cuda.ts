/**
 * The GPU rung (native/src/cuda/gridding.cu): points uploaded once in setup; the timed call bins
 * them on the device (strips of 32 points per thread, runs merged in registers, atomics per run)
 * and waits, with no host transfers. `result` copies the grid back for the oracle.
 */
import { loadCuda } from '../../src/addon/index.js';
import type { GriddingFixture, GridResult } from './fixture.js';
import { allocateGrid } from './fixture.js';

/** Uploads the fixture; teardown frees the device memory. */
export function prepareCudaGridding(f: GriddingFixture): {
  run: () => void;
  teardown: () => void;
  result: () => GridResult;
} {
  const handle = new (loadCuda().CudaGridding)(f.cloud.chunks, f.grid);
  return {
    run: () => handle.run(),
    teardown: () => handle.dispose(),
    result: () => {
      const out = allocateGrid(f.grid);
      handle.read(out);
      return out;
    },
  };
}
