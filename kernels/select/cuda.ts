/**
 * The GPU rung (native/src/cuda/select.cu): points uploaded once in setup; the timed call is a
 * stream compaction (CUB DeviceSelect) of the point indices on the device, returning the count.
 * `result` copies the indices back for the oracle.
 */
import { loadCuda } from '../../src/addon/index.js';
import type { SelectFixture, Selection } from './fixture.js';

/** Uploads the fixture; teardown frees the device memory. */
export function prepareCudaSelect(f: SelectFixture): {
  run: () => number;
  teardown: () => void;
  result: () => Selection;
} {
  const handle = new (loadCuda().CudaSelect)(f.cloud.chunks, f.query);
  return {
    run: () => handle.run(),
    teardown: () => handle.dispose(),
    result: () => {
      const count = handle.run();
      const indices = new Uint32Array(count);
      handle.read(indices);
      return { indices, count };
    },
  };
}
