/**
 * benchgate's own suite: the seed workloads along the optimisation ladder. This is the default
 * suite `benchgate run` measures and the one this repository gates itself on.
 */
import { kernelCases } from '../src/bench/kernel.js';
import type { Suite } from '../src/bench/suite-types.js';
import { matmul } from './matmul/index.js';

/** The kernels, in the order reports list them. */
export const kernels = [matmul];

/** The default suite. */
const suite: Suite = {
  name: 'benchgate-kernels',
  cases: (profile) => kernels.flatMap((k) => kernelCases(k, profile)),
};
export default suite;
