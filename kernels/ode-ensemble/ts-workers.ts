/**
 * Rung 3: worker_threads over SharedArrayBuffer columns. Threads start once (setup); a call bumps
 * a shared generation counter, each thread integrates its contiguous slice, and the caller waits
 * on a shared pending count (Atomics), so a call costs no messages and no copies.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { OdeFixture, OdeResult } from './fixture.js';

/** What each thread receives once. */
export interface WorkerSetup {
  control: SharedArrayBuffer;
  steps: number;
  dt: number;
  a: SharedArrayBuffer;
  b: SharedArrayBuffer;
  eps: SharedArrayBuffer;
  current: SharedArrayBuffer;
  v0: SharedArrayBuffer;
  w0: SharedArrayBuffer;
  v: SharedArrayBuffer;
  w: SharedArrayBuffer;
  from: number;
  to: number;
}

/** The compiled thread script; from TypeScript sources (tests) it is the built copy under dist/. */
function threadScript(): string {
  const beside = fileURLToPath(new URL('./ts-workers-thread.js', import.meta.url));
  if (existsSync(beside)) return beside;
  const built = fileURLToPath(new URL('../../dist/kernels/ode-ensemble/ts-workers-thread.js', import.meta.url));
  if (existsSync(built)) return built;
  throw new Error(`ts-workers thread script not found at ${beside} or ${built} (run npm run build:ts)`);
}

function shared(column: Float64Array): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(column.byteLength);
  new Float64Array(sab).set(column);
  return sab;
}

/** Starts `threads` threads over the fixture; `run` integrates all systems, `teardown` stops them. */
export function prepareWorkers(f: OdeFixture, threads: number): { run: () => OdeResult; teardown: () => void } {
  const control = new SharedArrayBuffer(3 * 4);
  const ctrl = new Int32Array(control);
  const columns = {
    a: shared(f.a),
    b: shared(f.b),
    eps: shared(f.eps),
    current: shared(f.current),
    v0: shared(f.v0),
    w0: shared(f.w0),
  };
  const v = new SharedArrayBuffer(8 * f.systems);
  const w = new SharedArrayBuffer(8 * f.systems);
  const script = threadScript();
  const count = Math.max(1, Math.min(threads, f.systems));
  const workers = Array.from({ length: count }, (_, t) => {
    const setup: WorkerSetup = {
      control,
      steps: f.steps,
      dt: f.dt,
      ...columns,
      v,
      w,
      from: Math.floor((t * f.systems) / count),
      to: Math.floor(((t + 1) * f.systems) / count),
    };
    const worker = new Worker(script, { workerData: setup });
    worker.unref();
    return worker;
  });
  const result = { v: new Float64Array(v), w: new Float64Array(w) };
  return {
    run: () => {
      Atomics.store(ctrl, 1, count);
      Atomics.add(ctrl, 0, 1);
      Atomics.notify(ctrl, 0);
      for (let pending = Atomics.load(ctrl, 1); pending !== 0; pending = Atomics.load(ctrl, 1))
        Atomics.wait(ctrl, 1, pending);
      return result;
    },
    teardown: () => {
      Atomics.store(ctrl, 2, 1);
      Atomics.add(ctrl, 0, 1);
      Atomics.notify(ctrl, 0);
      for (const worker of workers) void worker.terminate();
    },
  };
}
