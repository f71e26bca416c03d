/**
 * Rung 2: the reallocation fix the seeds' profiling found. Count first, allocate the exact
 * Uint32Array once, then fill it: two passes over the points, no growth, no boxed numbers.
 */
import type { SelectFixture, Selection, SelectQuery } from './fixture.js';
import type { PointChunk } from '../shared/points.js';

function scan({ x, y, value }: PointChunk, q: SelectQuery, base: number, out: Uint32Array | null, at: number): number {
  let k = at;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] as number;
    const yi = y[i] as number;
    const vi = value[i] as number;
    if (xi >= q.xMin && xi < q.xMax && yi >= q.yMin && yi < q.yMax && vi >= q.vMin && vi < q.vMax) {
      if (out !== null) out[k] = base + i;
      k++;
    }
  }
  return k;
}

/** Counts, allocates exactly, fills. */
export function selectPrealloc({ cloud, query }: SelectFixture): Selection {
  let count = 0;
  for (const c of cloud.chunks) count = scan(c, query, 0, null, count);
  const indices = new Uint32Array(count);
  let k = 0;
  let base = 0;
  for (const c of cloud.chunks) {
    k = scan(c, query, base, indices, k);
    base += c.x.length;
  }
  return { indices, count };
}
