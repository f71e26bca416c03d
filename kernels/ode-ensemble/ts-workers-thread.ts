/**
 * One ts-workers thread: waits on a shared generation counter, integrates its slice of the
 * systems from SharedArrayBuffer columns, and counts itself done. No message passing per call.
 */
import { workerData } from 'node:worker_threads';
import { integrateRange } from './ts-soa.js';
import type { WorkerSetup } from './ts-workers.js';

const setup = workerData as WorkerSetup;
const ctrl = new Int32Array(setup.control);
const col = (b: SharedArrayBuffer) => new Float64Array(b);
const f = {
  steps: setup.steps,
  dt: setup.dt,
  a: col(setup.a),
  b: col(setup.b),
  eps: col(setup.eps),
  current: col(setup.current),
  v0: col(setup.v0),
  w0: col(setup.w0),
};
const v = col(setup.v);
const w = col(setup.w);

let seen = 0;
for (;;) {
  Atomics.wait(ctrl, 0, seen);
  seen = Atomics.load(ctrl, 0);
  if (Atomics.load(ctrl, 2) === 1) break;
  integrateRange(f, v, w, setup.from, setup.to);
  if (Atomics.sub(ctrl, 1, 1) === 1) Atomics.notify(ctrl, 1);
}
