/**
 * The gridding oracle: one plain pass over the points in FP64. Counts, minima and maxima are exact
 * whatever the order, so they must match exactly; the mean is a sum divided by the count, and sums
 * in a different order (per-thread grids, register runs) differ by rounding: the tolerance per
 * cell is count·eps·max|value|.
 */
import type { GriddingFixture, GridResult } from './fixture.js';
import { allocateGrid } from './fixture.js';

/** Reference statistics per cell. */
export function referenceGrid({ cloud, grid }: GriddingFixture): GridResult {
  const out = allocateGrid(grid);
  const sum = new Float64Array(out.count.length);
  out.min.fill(Infinity);
  out.max.fill(-Infinity);
  for (const c of cloud.chunks) {
    for (let i = 0; i < c.x.length; i++) {
      const ix = Math.floor(((c.x[i] as number) - grid.x0) * grid.invCell);
      const iy = Math.floor(((c.y[i] as number) - grid.y0) * grid.invCell);
      if (ix < 0 || ix >= grid.nx || iy < 0 || iy >= grid.ny) continue;
      const cell = iy * grid.nx + ix;
      const v = c.value[i] as number;
      out.count[cell] = (out.count[cell] as number) + 1;
      sum[cell] = (sum[cell] as number) + v;
      if (v < (out.min[cell] as number)) out.min[cell] = v;
      if (v > (out.max[cell] as number)) out.max[cell] = v;
    }
  }
  for (let k = 0; k < sum.length; k++) {
    const n = out.count[k] as number;
    out.mean[k] = n > 0 ? (sum[k] as number) / n : NaN;
    if (n === 0) out.min[k] = out.max[k] = NaN;
  }
  return out;
}

const same = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));

/** Returns null when `got` matches the reference (counts, min, max exactly; means within tolerance), else the first miss. */
export function checkGrid(fixture: GriddingFixture, got: GridResult): string | null {
  const ref = referenceGrid(fixture);
  let maxAbs = 0;
  for (const c of fixture.cloud.chunks) for (const v of c.value) maxAbs = Math.max(maxAbs, Math.abs(v));
  for (let k = 0; k < ref.count.length; k++) {
    const n = ref.count[k] as number;
    if (got.count[k] !== n) return `cell ${k}: count ${got.count[k]}, expected ${n}`;
    if (!same(got.min[k] as number, ref.min[k] as number))
      return `cell ${k}: min ${got.min[k]}, expected ${ref.min[k]}`;
    if (!same(got.max[k] as number, ref.max[k] as number))
      return `cell ${k}: max ${got.max[k]}, expected ${ref.max[k]}`;
    const tol = n * Number.EPSILON * maxAbs;
    const m = got.mean[k] as number;
    const r = ref.mean[k] as number;
    if (n === 0 ? !Number.isNaN(m) : !(Math.abs(m - r) <= tol))
      return `cell ${k}: mean ${m}, expected ${r} (tolerance ${tol})`;
  }
  return null;
}
