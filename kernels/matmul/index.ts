/**
 * matmul: C = A·B for dense FP64 n×n matrices, the seeds' 60,000× ladder. Bound by the FMA peak:
 * 2n³ flops per call; at least 3·8n² bytes move (A and B read, C written).
 */
import { checksumOf } from '../../src/bench/checksum.js';
import type { Kernel } from '../../src/bench/kernel.js';
import { generateMatmul, type MatmulFixture } from './fixture.js';
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
  ],
  work: ({ params: { n } }) => ({ flops: 2 * n ** 3, bytes: 3 * 8 * n * n }),
  generate: ({ seed, params: { n } }) => generateMatmul(n, seed),
  checksum: (f) => checksumOf(f.a, f.b),
};
