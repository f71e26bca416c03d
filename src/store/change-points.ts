/**
 * Change points of stored series: E-Divisive means (src/stats/e-divisive.ts) over the completed
 * points of a main-branch series, limited to the most recent `window` points so that a long
 * history costs the same as a short one; older change points outside the window are kept.
 */
import type Database from 'better-sqlite3';
import type { StoredChangePoint } from '../model.js';
import { eDivisive } from '../stats/e-divisive.js';
import { replaceChangePoints, seriesPoints, staleSeries, type SeriesKey } from './series.js';

/** Settings of the change-point search. */
export interface ChangePointSettings {
  /** Significance level of each split. */
  alpha: number;
  /** Permutations per significance test. */
  permutations: number;
  /** Fewest points on either side of a change. */
  minSize: number;
  /** Most recent completed points analysed on each recomputation. */
  window: number;
}

/** The defaults: alpha 0.01 with 199 permutations, 5 points a side, the last 500 points. */
export const DEFAULT_CHANGE_POINTS: ChangePointSettings = { alpha: 0.01, permutations: 199, minSize: 5, window: 500 };

/** Recomputes and stores one series' change points; returns what is stored now for the window. */
export function recomputeSeries(
  db: Database.Database,
  key: SeriesKey,
  settings: ChangePointSettings = DEFAULT_CHANGE_POINTS,
): StoredChangePoint[] {
  const points = seriesPoints(db, key);
  // Positions index the whole series (errored points included) so the chart can place them.
  const positions: number[] = [];
  const values: number[] = [];
  points.forEach((p, i) => {
    if (p.state === 'completed' && p.medianSeconds !== null && Number.isFinite(p.medianSeconds)) {
      positions.push(i);
      values.push(p.medianSeconds);
    }
  });
  const windowStart = Math.max(0, values.length - settings.window);
  const found = eDivisive(values, {
    alpha: settings.alpha,
    permutations: settings.permutations,
    minSize: settings.minSize,
    window: settings.window,
    seed: 1,
  });
  const stored = found.map((c) => {
    const position = positions[c.index] as number;
    const point = points[position];
    return {
      position,
      runId: point?.runId ?? '',
      sha: point?.sha ?? null,
      pValue: c.pValue,
      statistic: c.statistic,
      meanBefore: c.meanBefore,
      meanAfter: c.meanAfter,
      changePct: c.changePct,
    };
  });
  const fromPosition = windowStart === 0 ? 0 : (positions[windowStart] as number);
  replaceChangePoints(db, key, fromPosition, points.length, stored);
  return stored;
}

/**
 * Recomputes stale series until none is left or `budgetMs` has passed; returns how many were
 * done. The server calls it in slices between requests; the CLI after a run, without a budget.
 */
export function recomputeStale(
  db: Database.Database,
  settings: ChangePointSettings = DEFAULT_CHANGE_POINTS,
  budgetMs = Infinity,
): number {
  const start = performance.now();
  let done = 0;
  for (;;) {
    const batch = staleSeries(db, 16);
    if (batch.length === 0) return done;
    for (const key of batch) {
      recomputeSeries(db, key, settings);
      done++;
      if (performance.now() - start > budgetMs) return done;
    }
  }
}
