/**
 * Rung 2: typed columns, chunk by chunk, into preallocated typed accumulators (structure of
 * arrays); nothing is allocated per call.
 */
import type { GriddingFixture, GridResult } from './fixture.js';
import { allocateGrid } from './fixture.js';

/** Bins the fixture's columns into `out`, using `sum` as scratch (both overwritten). */
export function gridSoa({ cloud, grid }: GriddingFixture, out: GridResult, sum: Float64Array): GridResult {
  const { nx, ny, x0, y0, invCell } = grid;
  const { count, min, max, mean } = out;
  count.fill(0);
  sum.fill(0);
  min.fill(Infinity);
  max.fill(-Infinity);
  for (const { x, y, value } of cloud.chunks) {
    const n = x.length;
    for (let i = 0; i < n; i++) {
      const ix = Math.floor(((x[i] as number) - x0) * invCell);
      const iy = Math.floor(((y[i] as number) - y0) * invCell);
      if (ix < 0 || ix >= nx || iy < 0 || iy >= ny) continue;
      const cell = iy * nx + ix;
      const v = value[i] as number;
      count[cell] = (count[cell] as number) + 1;
      sum[cell] = (sum[cell] as number) + v;
      if (v < (min[cell] as number)) min[cell] = v;
      if (v > (max[cell] as number)) max[cell] = v;
    }
  }
  for (let k = 0; k < count.length; k++) {
    const c = count[k] as number;
    if (c > 0) mean[k] = (sum[k] as number) / c;
    else mean[k] = min[k] = max[k] = NaN;
  }
  return out;
}

/** Times the binning into accumulators allocated once. */
export function prepareSoa(f: GriddingFixture): { run: () => GridResult } {
  const out = allocateGrid(f.grid);
  const sum = new Float64Array(out.count.length);
  return { run: () => gridSoa(f, out, sum) };
}
