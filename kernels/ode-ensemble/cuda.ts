/**
 * The GPU rung (native/src/cuda/ode.cu): one thread per system, state in registers for every
 * step. Columns are uploaded once in setup; the timed call is the kernel and its synchronisation.
 */
import { loadCuda } from '../../src/addon/index.js';
import type { OdeFixture, OdeResult } from './fixture.js';

/** Uploads the sweep; teardown frees the device memory. */
export function prepareCudaOde(f: OdeFixture): { run: () => void; teardown: () => void; result: () => OdeResult } {
  const handle = new (loadCuda().CudaOde)(
    { a: f.a, b: f.b, eps: f.eps, current: f.current, v0: f.v0, w0: f.w0 },
    f.steps,
    f.dt,
  );
  return {
    run: () => handle.run(),
    teardown: () => handle.dispose(),
    result: () => {
      const out = { v: new Float64Array(f.systems), w: new Float64Array(f.systems) };
      handle.read(out.v, out.w);
      return out;
    },
  };
}
