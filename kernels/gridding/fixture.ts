/**
 * Gridding fixtures: a survey point cloud and the regular grid it is binned onto. A point falls in
 * cell (ix, iy) with ix = floor((x − x0)·invCell), iy = floor((y − y0)·invCell), and counts only
 * when 0 ≤ ix < nx and 0 ≤ iy < ny; every implementation computes exactly this, in FP64, in this
 * order, so cell membership is identical everywhere.
 */
import { sharedPoints, SURVEY_SIZE, type PointCloud } from '../shared/points.js';

/** The grid: nx × ny square cells from (x0, y0), cell (ix, iy) at index iy·nx + ix. */
export interface GridSpec {
  nx: number;
  ny: number;
  x0: number;
  y0: number;
  /** 1 / cell size, precomputed once so that all implementations multiply by the same number. */
  invCell: number;
}

/** The per-cell statistics: empty cells have count 0 and NaN mean, min and max. */
export interface GridResult {
  count: Uint32Array;
  mean: Float64Array;
  min: Float64Array;
  max: Float64Array;
}

/** A gridding problem: the points and the grid. */
export interface GriddingFixture {
  cloud: PointCloud;
  grid: GridSpec;
}

/** Generator parameters: number of points and grid cells along each side. */
export interface GriddingParams {
  points: number;
  cells: number;
}

/** A square grid of `cells`² cells over the whole survey square. */
export function surveyGrid(cells: number): GridSpec {
  return { nx: cells, ny: cells, x0: 0, y0: 0, invCell: cells / SURVEY_SIZE };
}

/** Generates the fixture from its seed. */
export function generateGridding({ points, cells }: GriddingParams, seed: number): GriddingFixture {
  return { cloud: sharedPoints(points, seed), grid: surveyGrid(cells) };
}

/** Output arrays for a grid, ready to be filled. */
export function allocateGrid({ nx, ny }: GridSpec): GridResult {
  const cells = nx * ny;
  return {
    count: new Uint32Array(cells),
    mean: new Float64Array(cells),
    min: new Float64Array(cells),
    max: new Float64Array(cells),
  };
}
