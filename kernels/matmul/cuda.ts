/**
 * The GPU rung: a tiled shared-memory FP64 kernel (native/src/cuda/matmul.cu). A and B are
 * uploaded and C allocated on the device in setup; the timed call is the kernel and its
 * synchronisation only, with operands resident on the device (no host transfers timed).
 */
import { loadCuda } from '../../src/addon/index.js';
import type { MatmulFixture } from './fixture.js';

/** The prepared case, plus `result` to copy C back for correctness checks. */
export interface CudaPrepared {
  run: () => void;
  teardown: () => void;
  result: () => Float64Array;
}

/** Uploads the fixture to the device; teardown frees the device memory. */
export function prepareCuda(f: MatmulFixture): CudaPrepared {
  const handle = new (loadCuda().CudaMatmul)(f.a, f.b, f.n);
  return {
    run: () => handle.run(),
    teardown: () => handle.dispose(),
    result: () => handle.read(new Float64Array(f.n * f.n)),
  };
}
