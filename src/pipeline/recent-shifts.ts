/**
 * After a history run on main: change-point detection (E-Divisive means, src/stats/e-divisive.ts)
 * over each benchmark's series, keeping the shifts that start in the newest commits, each named by
 * the commit where the series changed.
 */
import type Database from 'better-sqlite3';
import type { RunReport } from '../model.js';
import { eDivisive } from '../stats/e-divisive.js';
import { runSeries } from '../store/run-series.js';

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

/** Settings of the search. */
export interface ShiftOptions {
  /** How many of the newest runs count as "new" (default 10). */
  newest?: number;
  /** Fewest runs on either side of a change (default 3): a shift in the last minSize−1 runs waits. */
  minSize?: number;
  alpha?: number;
  /** Most recent runs analysed (default 500). */
  window?: number;
}

/** Shifts starting within the newest runs of each of the report's benchmarks. */
export function recentShifts(db: Database.Database, report: RunReport, options: ShiftOptions = {}): RecentShift[] {
  const newest = options.newest ?? 10;
  const shifts: RecentShift[] = [];
  for (const b of report.benchmarks) {
    const series = runSeries(db, { project: report.project, testbedKey: report.testbed.key, benchmark: b.name, fixtureChecksum: b.fixtureChecksum });
    const points = eDivisive(
      series.map((p) => p.medianSeconds),
      { alpha: options.alpha ?? 0.01, minSize: options.minSize ?? 3, window: options.window ?? 500 },
    );
    for (const cp of points) {
      const runsAgo = series.length - 1 - cp.index;
      const at = series[cp.index];
      if (runsAgo < newest && at) shifts.push({ benchmark: b.name, runId: at.runId, sha: at.sha, message: at.message, changePct: cp.changePct, pValue: cp.pValue, runsAgo });
    }
  }
  return shifts.sort((a, b) => a.runsAgo - b.runsAgo || Math.abs(b.changePct) - Math.abs(a.changePct));
}
