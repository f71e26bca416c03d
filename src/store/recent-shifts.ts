/**
 * After a history run on the main branch: the change points of each of the run's series (the same
 * stored E-Divisive computation the dashboard shows, ./change-points.ts), keeping the
 * shifts that start in the newest commits, each named by the commit where the series changed.
 */
import type Database from 'better-sqlite3';
import type { RunReport } from '../model.js';
import { seriesPoints, type SeriesKey } from './series.js';
import { DEFAULT_CHANGE_POINTS, recomputeSeries, type ChangePointSettings } from './change-points.js';

/** A shift found in the newest commits of one series. */
export interface RecentShift {
  benchmark: string;
  /** The first run after the change: its commit and message. */
  runId: string;
  sha: string | null;
  message: string | null;
  changePct: number;
  pValue: number;
  /** 0 = the newest run. */
  runsAgo: number;
}

/** Settings of the search: the change-point settings, and how many of the newest runs are news. */
export interface ShiftOptions extends Partial<ChangePointSettings> {
  /** How many of the newest runs count as "new" (default 10). */
  newest?: number;
}

function keyOf(db: Database.Database, report: RunReport, benchmark: RunReport['benchmarks'][number]): SeriesKey | null {
  const row = db
    .prepare(
      `SELECT b.id AS benchmarkId, p.id AS projectId, t.id AS testbedId FROM benchmark b
       JOIN project p ON p.id = b.project_id AND p.name = ? JOIN testbed t ON t.key = ?
       WHERE b.name = ? AND b.fixture_checksum = ?`,
    )
    .get(report.project, report.testbed.key, benchmark.name, benchmark.fixtureChecksum) as
    Omit<SeriesKey, 'branch'> | undefined;
  return row ? { ...row, branch: report.head.ref ?? 'main' } : null;
}

/** Recomputes and stores the change points of the report's series; returns those in the newest runs. */
export function recentShifts(db: Database.Database, report: RunReport, options: ShiftOptions = {}): RecentShift[] {
  const { newest = 10, ...overrides } = options;
  const settings = { ...DEFAULT_CHANGE_POINTS, ...overrides };
  const shifts: RecentShift[] = [];
  for (const b of report.benchmarks) {
    const key = keyOf(db, report, b);
    if (key === null) continue;
    const points = seriesPoints(db, key);
    for (const cp of recomputeSeries(db, key, settings)) {
      const runsAgo = points.length - 1 - cp.position;
      const at = points[cp.position];
      if (runsAgo < newest && at)
        shifts.push({
          benchmark: b.name,
          runId: at.runId,
          sha: at.sha,
          message: at.message,
          changePct: cp.changePct,
          pValue: cp.pValue,
          runsAgo,
        });
    }
  }
  return shifts.sort((a, b) => a.runsAgo - b.runsAgo || Math.abs(b.changePct) - Math.abs(a.changePct));
}
