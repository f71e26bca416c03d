/**
 * Select fixtures: a survey point cloud (shared with gridding) and a query. A point is selected
 * when xMin ≤ x < xMax, yMin ≤ y < yMax and vMin ≤ value < vMax; the answer is the ascending list
 * of selected global indices (chunk offset + index in chunk) as a Uint32Array.
 */
import { sharedPoints, type PointCloud } from '../shared/points.js';

/** The box and value range of a query (half-open intervals). */
export interface SelectQuery {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  vMin: number;
  vMax: number;
}

/** A select problem. */
export interface SelectFixture {
  cloud: PointCloud;
  query: SelectQuery;
}

/** Generator parameters; `selected` is the recorded answer size (for the work count), checked by the tests. */
export interface SelectParams {
  points: number;
  selected: number;
}

/** The query every fixture asks: the centre of the survey, about 12% of the points. */
export const SURVEY_QUERY: SelectQuery = { xMin: 2500, xMax: 7500, yMin: 2000, yMax: 6000, vMin: 45, vMax: 75 };

/** Generates the fixture from its seed. */
export function generateSelect({ points }: SelectParams, seed: number): SelectFixture {
  return { cloud: sharedPoints(points, seed), query: SURVEY_QUERY };
}

/** The selected indices: the first `count` entries of `indices` (which may be longer). */
export interface Selection {
  indices: Uint32Array;
  count: number;
}
