/**
 * select: the indices of the points inside a box and value range, from up to 40 million points:
 * the seeds' "profiling found reallocations, not maths". Bound by memory bandwidth. Work per call:
 * 6 flops per point (the six FP64 comparisons, counted as floating-point operations since they run
 * on the FP units); bytes: the three FP64 columns read once (24 per point) and 4 per selected index
 * written (`selected` is recorded with the fixture and checked by the tests).
 */
import type { Kernel } from '../../src/measure/kernel.js';
import { cudaUnavailableReason, nativeUnavailableReason } from '../../src/addon/index.js';
import { benchThreads } from '../../src/measure/threads.js';
import { prepareNativeSelect } from './native.js';

import { prepareCudaSelect } from './cuda.js';
import { pointBytes, pointsChecksum } from '../shared/points.js';
import { generateSelect, type SelectFixture, type SelectParams } from './fixture.js';
import { selectPrealloc } from './ts-prealloc.js';
import { selectPush } from './ts-push.js';

/** The select kernel with its fixtures and implementations. */
export const select: Kernel<SelectFixture, SelectParams> = {
  name: 'select',
  fixtures: {
    quick: [
      { name: 'p250k', seed: 11, params: { points: 250_000, selected: 35568 }, checksum: '841177b66918bc8a' },
      { name: 'p1m', seed: 12, params: { points: 1_000_000, selected: 141500 }, checksum: '6b7e06a2b0fb05c0' },
    ],
    full: [
      { name: 'p4m', seed: 13, params: { points: 4_000_000, selected: 565164 }, checksum: '4856845029c3a68b' },
      { name: 'p40m', seed: 14, params: { points: 40_000_000, selected: 5656002 }, checksum: 'bcd38fdb65ac45c6' },
    ],
  },
  implementations: [
    { name: 'ts-push', prepare: (f) => ({ run: () => selectPush(f) }) },
    { name: 'ts-prealloc', prepare: (f) => ({ run: () => selectPrealloc(f) }) },
    { name: 'native-simd', unavailable: () => nativeUnavailableReason(), prepare: (f) => prepareNativeSelect(f, 1) },
    // Beyond DESIGN.md's list: one core cannot draw the whole memory bandwidth, so the threaded
    // rung is the one measured against the triad roof.
    {
      name: 'native-parallel',
      unavailable: () => nativeUnavailableReason(),
      prepare: (f) => prepareNativeSelect(f, benchThreads()),
    },
    { name: 'cuda', unavailable: () => cudaUnavailableReason(), prepare: (f) => prepareCudaSelect(f) },
  ],
  work: ({ params: { points, selected } }) => ({ flops: 6 * points, bytes: pointBytes(points) + 4 * selected }),
  generate: ({ seed, params }) => generateSelect(params, seed),
  checksum: (f) => pointsChecksum(f.cloud),
};
