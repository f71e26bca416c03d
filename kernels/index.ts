/**
 * benchgate's own suite: the seed workloads along the optimisation ladder. This is the default
 * suite `benchgate run` measures and the one this repository gates itself on.
 */
import { kernelCases } from '../src/measure/kernel.js';
import type { Suite } from '../src/measure/suite-types.js';
import { gridding } from './gridding/index.js';
import { matmul } from './matmul/index.js';
import { odeEnsemble } from './ode-ensemble/index.js';
import { select } from './select/index.js';

/** The kernels, in the order reports list them. */
export const kernels = [matmul, gridding, odeEnsemble, select] as const;

/** The default suite. */
const suite: Suite = {
  name: 'benchgate-kernels',
  cases: (profile) => [
    ...kernelCases(matmul, profile),
    ...kernelCases(gridding, profile),
    ...kernelCases(odeEnsemble, profile),
    ...kernelCases(select, profile),
  ],
};
export default suite;
