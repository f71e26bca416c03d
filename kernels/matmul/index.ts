/**
 * matmul: C = A·B for dense FP64 n×n matrices, the seeds' 60,000× ladder. Bound by the FMA peak:
 * 2n³ flops per call; at least 3·8n² bytes move (A and B read, C written).
 */
import { checksumOf } from '../../src/measure/checksum.js';
import type { Kernel } from '../../src/measure/kernel.js';
import { generateMatmul, type MatmulFixture } from './fixture.js';
import { cudaUnavailableReason, nativeUnavailableReason } from '../../src/addon/index.js';
import { openblasUnavailableReason } from '../../src/addon/openblas.js';
import { prepareCuda } from './cuda.js';
import { prepareNative } from './native.js';
import { prepareOpenblas } from './openblas.js';
import { prepareBlocked } from './ts-blocked.js';
import { prepareNaive } from './ts-naive.js';
import { prepareTyped } from './ts-typed.js';

type Params = { n: number };

/** The matmul kernel with its fixtures and implementations. */
export const matmul: Kernel<MatmulFixture, Params> = {
  name: 'matmul',
  fixtures: {
    quick: [
      { name: 'n128', seed: 1, params: { n: 128 }, checksum: '5ac2297fe0ebaccc' },
      { name: 'n256', seed: 2, params: { n: 256 }, checksum: '14e327389bb08b3d' },
    ],
    full: [
      { name: 'n512', seed: 3, params: { n: 512 }, checksum: '2c0a9079a7a97e1a' },
      { name: 'n1024', seed: 4, params: { n: 1024 }, checksum: 'ca95fd2b391f334f' },
      { name: 'n2048', seed: 5, params: { n: 2048 }, checksum: '98e3696b58e4208c' },
    ],
  },
  implementations: [
    { name: 'ts-naive', prepare: (f) => prepareNaive(f) },
    { name: 'ts-typed', prepare: (f) => prepareTyped(f) },
    { name: 'ts-blocked', prepare: (f) => prepareBlocked(f) },
    { name: 'native-scalar', unavailable: () => nativeUnavailableReason(), prepare: (f) => prepareNative(f, 'scalar') },
    { name: 'native-simd', unavailable: () => nativeUnavailableReason(), prepare: (f) => prepareNative(f, 'simd') },
    {
      name: 'native-parallel',
      unavailable: () => nativeUnavailableReason(),
      prepare: (f) => prepareNative(f, 'parallel'),
    },
    // A reference, not a rung of ours: measured in the same run so the ratio to a tuned BLAS is fair.
    { name: 'openblas', unavailable: () => openblasUnavailableReason(), prepare: (f) => prepareOpenblas(f) },
    { name: 'cuda', unavailable: () => cudaUnavailableReason(), prepare: (f) => prepareCuda(f) },
  ],
  work: ({ params: { n } }) => ({ flops: 2 * n ** 3, bytes: 3 * 8 * n * n }),
  generate: ({ seed, params: { n } }) => generateMatmul(n, seed),
  checksum: (f) => checksumOf(f.a, f.b),
};
