/**
 * ode-ensemble: a parameter sweep of independent FitzHugh–Nagumo systems integrated with
 * fixed-step RK4, the seeds' ensemble/parameter-sweep workload. Bound by the FMA peak. Work per
 * call: 66 flops per system per step (derived in rk4.ts); bytes: the six input columns read and
 * the two state columns written once (64 per system).
 */
import { checksumOf } from '../../src/measure/checksum.js';
import type { Kernel } from '../../src/measure/kernel.js';
import { cudaUnavailableReason, nativeUnavailableReason } from '../../src/addon/index.js';
import { prepareNativeOde } from './native.js';

import { benchThreads } from '../../src/measure/threads.js';
import { prepareCudaOde } from './cuda.js';
import { generateOde, type OdeFixture, type OdeParams } from './fixture.js';
import { FLOPS_PER_STEP } from './rk4.js';
import { integrateNaive, toSystems } from './ts-naive.js';
import { prepareSoa } from './ts-soa.js';
import { prepareWorkers } from './ts-workers.js';

/** The ode-ensemble kernel with its fixtures and implementations. */
export const odeEnsemble: Kernel<OdeFixture, OdeParams> = {
  name: 'ode-ensemble',
  fixtures: {
    quick: [
      { name: 's256-t200', seed: 21, params: { systems: 256, steps: 200 }, checksum: 'fc98682fb147a6b4' },
      { name: 's2k-t50', seed: 22, params: { systems: 2048, steps: 50 }, checksum: '8fd7e5f144a46dc4' },
    ],
    full: [
      { name: 's32k-t250', seed: 23, params: { systems: 32_768, steps: 250 }, checksum: '87a695b9869d7557' },
      { name: 's128k-t100', seed: 24, params: { systems: 131_072, steps: 100 }, checksum: '018673d168fd1ea0' },
    ],
  },
  implementations: [
    {
      name: 'ts-naive',
      prepare: (f) => {
        const systems = toSystems(f);
        return { run: () => integrateNaive(systems, f.dt, f.steps) };
      },
    },
    { name: 'ts-soa', prepare: (f) => prepareSoa(f) },
    { name: 'ts-workers', prepare: (f) => prepareWorkers(f, benchThreads()) },
    { name: 'native-simd', unavailable: () => nativeUnavailableReason(), prepare: (f) => prepareNativeOde(f, 1) },
    {
      name: 'native-parallel',
      unavailable: () => nativeUnavailableReason(),
      prepare: (f) => prepareNativeOde(f, benchThreads()),
    },
    { name: 'cuda', unavailable: () => cudaUnavailableReason(), prepare: (f) => prepareCudaOde(f) },
  ],
  work: ({ params: { systems, steps } }) => ({ flops: FLOPS_PER_STEP * systems * steps, bytes: 64 * systems }),
  generate: ({ seed, params }) => generateOde(params, seed),
  checksum: (f) => checksumOf(f.a, f.b, f.eps, f.current, f.v0, f.w0),
};
