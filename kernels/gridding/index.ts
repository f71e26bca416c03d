/**
 * gridding: scattered survey points (x, y, value) binned onto a regular grid, giving per-cell
 * count, mean, min and max: the seeds' 40-million-point geology workload. Bound by memory
 * bandwidth. Work per call, counted per point whether or not it lands in the grid: 7 flops (two
 * subtractions and two multiplications for the cell, the sum's add, and the min and max
 * comparisons) plus one division per cell for the mean; bytes: the three FP64 columns read once
 * (24 per point) and the result written once (4 + 3·8 = 28 per cell).
 */
import { getHeapStatistics } from 'node:v8';
import type { Kernel } from '../../src/measure/kernel.js';
import { cudaUnavailableReason, nativeUnavailableReason } from '../../src/addon/index.js';
import { benchThreads } from '../../src/measure/threads.js';
import { prepareNativeGridding } from './native.js';

import { SkipBenchmark } from '../../src/measure/suite-types.js';
import { prepareCudaGridding } from './cuda.js';
import { pointBytes, pointsChecksum } from '../shared/points.js';
import { generateGridding, type GriddingFixture, type GriddingParams } from './fixture.js';
import { BYTES_PER_POINT_OBJECT, gridObjects, toPointObjects } from './ts-objects.js';
import { prepareSoa } from './ts-soa.js';

/** The gridding kernel with its fixtures and implementations. */
export const gridding: Kernel<GriddingFixture, GriddingParams> = {
  name: 'gridding',
  fixtures: {
    quick: [
      { name: 'p250k-g256', seed: 11, params: { points: 250_000, cells: 256 }, checksum: '841177b66918bc8a' },
      { name: 'p1m-g256', seed: 12, params: { points: 1_000_000, cells: 256 }, checksum: '6b7e06a2b0fb05c0' },
    ],
    full: [
      { name: 'p4m-g512', seed: 13, params: { points: 4_000_000, cells: 512 }, checksum: '4856845029c3a68b' },
      { name: 'p40m-g512', seed: 14, params: { points: 40_000_000, cells: 512 }, checksum: 'bcd38fdb65ac45c6' },
    ],
  },
  implementations: [
    {
      name: 'ts-objects',
      prepare: (f) => {
        const need = f.cloud.count * BYTES_PER_POINT_OBJECT;
        const limit = getHeapStatistics().heap_size_limit;
        if (need > limit / 2) {
          throw new SkipBenchmark(
            `${f.cloud.count} point objects need about ${Math.round(need / 2 ** 20)} MiB of JS heap, over half the ${Math.round(limit / 2 ** 20)} MiB limit (raise it with NODE_OPTIONS=--max-old-space-size)`,
          );
        }
        const points = toPointObjects(f);
        return { run: () => gridObjects(points, f.grid) };
      },
    },
    { name: 'ts-soa', prepare: (f) => prepareSoa(f) },
    { name: 'native-simd', unavailable: () => nativeUnavailableReason(), prepare: (f) => prepareNativeGridding(f, 1) },
    {
      name: 'native-parallel',
      unavailable: () => nativeUnavailableReason(),
      prepare: (f) => prepareNativeGridding(f, benchThreads()),
    },
    { name: 'cuda', unavailable: () => cudaUnavailableReason(), prepare: (f) => prepareCudaGridding(f) },
  ],
  work: ({ params: { points, cells } }) => ({
    flops: 7 * points + cells * cells,
    bytes: pointBytes(points) + 28 * cells * cells,
  }),
  generate: ({ seed, params }) => generateGridding(params, seed),
  checksum: (f) => pointsChecksum(f.cloud),
};
