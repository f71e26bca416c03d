/**
 * Rung 1: the first port. Points are objects, the grid is an array of cell objects created per
 * call, and the result is copied out at the end: what a desktop-to-TypeScript port writes first.
 */
import type { GriddingFixture, GridResult, GridSpec } from './fixture.js';
import { allocateGrid } from './fixture.js';

/** One survey point. */
export interface Point {
  x: number;
  y: number;
  value: number;
}

interface Cell {
  count: number;
  sum: number;
  min: number;
  max: number;
}

/** Bins point objects onto the grid. */
export function gridObjects(points: Point[][], grid: GridSpec): GridResult {
  const cells: Cell[] = [];
  for (let k = 0; k < grid.nx * grid.ny; k++) cells.push({ count: 0, sum: 0, min: Infinity, max: -Infinity });
  for (const chunk of points) {
    for (const p of chunk) {
      const ix = Math.floor((p.x - grid.x0) * grid.invCell);
      const iy = Math.floor((p.y - grid.y0) * grid.invCell);
      if (ix < 0 || ix >= grid.nx || iy < 0 || iy >= grid.ny) continue;
      const cell = cells[iy * grid.nx + ix] as Cell;
      cell.count++;
      cell.sum += p.value;
      cell.min = Math.min(cell.min, p.value);
      cell.max = Math.max(cell.max, p.value);
    }
  }
  const out = allocateGrid(grid);
  cells.forEach((c, k) => {
    out.count[k] = c.count;
    out.mean[k] = c.count > 0 ? c.sum / c.count : NaN;
    out.min[k] = c.count > 0 ? c.min : NaN;
    out.max[k] = c.count > 0 ? c.max : NaN;
  });
  return out;
}

/** Roughly what V8 needs per point object (header, three boxed doubles, array slot), for the heap check. */
export const BYTES_PER_POINT_OBJECT = 64;

/** Converts the fixture's columns into arrays of point objects, chunk by chunk. */
export function toPointObjects(f: GriddingFixture): Point[][] {
  return f.cloud.chunks.map((c) =>
    Array.from(c.x, (x, i) => ({ x, y: c.y[i] as number, value: c.value[i] as number })),
  );
}
