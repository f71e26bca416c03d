/**
 * Scattered survey points (x, y, value) for the gridding and select kernels, generated and held
 * in chunks of CHUNK_POINTS so that 40 million points never need one 960 MB allocation and every
 * implementation can stream them. The layout follows an airborne survey: serpentine flight lines
 * across a 10 km square whose track drifts smoothly off the planned line (a slow random walk) with
 * a little positioning noise per point, and a value that trends across the area plus noise. Only
 * + − × and the seeded generator are used, so the data (and its checksum) is the same everywhere.
 */
import { checksumOf } from '../../src/measure/checksum.js';
import { seededRandom } from '../../src/random.js';

/** Points per chunk (2^20): large enough that per-chunk overhead vanishes, small enough to stream. */
export const CHUNK_POINTS = 1 << 20;

/** Side of the surveyed square, in metres. */
export const SURVEY_SIZE = 10_000;

/** One chunk of points as three FP64 columns of equal length. */
export interface PointChunk {
  x: Float64Array;
  y: Float64Array;
  value: Float64Array;
}

/** A point cloud: its size and its chunks in order (global index = chunk offset + local index). */
export interface PointCloud {
  count: number;
  chunks: PointChunk[];
}

/** Generates `count` points from `seed`, chunk by chunk, along `lines` flight lines. */
export function generatePoints(
  count: number,
  seed: number,
  lines = Math.max(4, Math.round(Math.sqrt(count) / 3)),
): PointCloud {
  const random = seededRandom(seed);
  const perLine = Math.ceil(count / lines);
  const spacing = SURVEY_SIZE / perLine;
  const lineGap = SURVEY_SIZE / lines;
  const chunks: PointChunk[] = [];
  let line = 0;
  let along = 0;
  let drift = 0;
  for (let start = 0; start < count; start += CHUNK_POINTS) {
    const n = Math.min(CHUNK_POINTS, count - start);
    const chunk = { x: new Float64Array(n), y: new Float64Array(n), value: new Float64Array(n) };
    const { x: xs, y: ys, value: vs } = chunk;
    for (let k = 0; k < n; k++) {
      const step = line % 2 === 0 ? along : perLine - 1 - along;
      // Jitter lets a few points fall just outside the square, so bounds checks are exercised.
      const x = (step + random() * 1.5 - 0.25) * spacing;
      drift = 0.995 * drift + 0.1 * (random() - 0.5);
      const y = (line + 0.5 + 0.25 * drift + 0.05 * (random() - 0.5)) * lineGap;
      xs[k] = x;
      ys[k] = y;
      vs[k] = 50 + 0.004 * x - 0.002 * y + 40 * (random() - 0.5);
      if (++along === perLine) {
        along = 0;
        line++;
      }
    }
    chunks.push(chunk);
  }
  return { count, chunks };
}

/** Points the clouds kept for later callers may hold together (96 MB); the latest is always kept. */
export const SHARED_POINTS_LIMIT = 4_000_000;

const kept: { key: string; cloud: PointCloud }[] = [];

/**
 * The same as generatePoints, but clouds are kept for the next callers in this process: gridding
 * and select share their large fixtures, a 40M-point cloud takes seconds to generate, and a paired
 * worker takes the benchmarks in random order, so with only the last cloud kept the quick suite's
 * 1M-point cloud was generated again for most of its eight benchmarks on each side. The latest
 * cloud and older ones up to SHARED_POINTS_LIMIT points in all are kept, so memory stays bounded
 * by the largest fixture plus 96 MB.
 */
export function sharedPoints(count: number, seed: number): PointCloud {
  const key = `${count}/${seed}`;
  const at = kept.findIndex((k) => k.key === key);
  const entry =
    at >= 0
      ? (kept.splice(at, 1)[0] as { key: string; cloud: PointCloud })
      : { key, cloud: generatePoints(count, seed) };
  kept.push(entry);
  let total = kept.reduce((n, k) => n + k.cloud.count, 0);
  while (kept.length > 1 && total > SHARED_POINTS_LIMIT + count)
    total -= (kept.shift() as { cloud: PointCloud }).cloud.count;
  return entry.cloud;
}

/** Checksum of every column of every chunk, in order. */
export function pointsChecksum(cloud: PointCloud): string {
  return checksumOf(...cloud.chunks.flatMap((c) => [c.x, c.y, c.value]));
}

/** Bytes of the point data itself (three FP64 columns). */
export function pointBytes(count: number): number {
  return 24 * count;
}
