/**
 * Ingestion of a run posted to the API (or replayed from `--json`): store it idempotently by id,
 * remember a digest of its content to tell a retry from a conflicting re-use of the id, and mark
 * the series it touches for change-point recomputation.
 */
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { RunReport } from '../model.js';
import { saveRun } from '../store/runs.js';
import { markSeriesStale } from '../store/series.js';

/** What ingesting a run did. */
export type IngestOutcome =
  | { status: 'stored'; id: string; benchmarks: number; measurements: number; staleSeries: number }
  | { status: 'duplicate'; id: string }
  | { status: 'conflict'; id: string };

const sortedKeys = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(sortedKeys)
    : v !== null && typeof v === 'object'
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortedKeys((v as Record<string, unknown>)[k])]))
      : v;

const hasKeys = (o: Record<string, unknown>): boolean => {
  for (const _ in o) return true;
  return false;
};

/**
 * Digest of a report's content. The report's own fields are written in the order `validateRun`
 * builds them (the model's order, whatever the order posted), so only the free-form objects
 * (settings, verdict details) need their keys sorted; hashing the native JSON.stringify of the
 * rest costs ~2 ms for a 500-benchmark run where sorting every object's keys cost ~8 ms.
 */
export function reportDigest(report: RunReport): string {
  const canonical = {
    ...report,
    settings: sortedKeys(report.settings),
    benchmarks: report.benchmarks.map((b) => (hasKeys(b.verdict.details) ? { ...b, verdict: { ...b.verdict, details: sortedKeys(b.verdict.details) } } : b)),
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/** The digest that servers before migration 4 stored: keys sorted at every level. */
export function legacyReportDigest(report: RunReport): string {
  return createHash('sha256').update(JSON.stringify(sortedKeys(report))).digest('hex');
}

/**
 * Stores `report` (as `validateRun` returns it) unless its id is stored already; `branch` is the
 * branch whose series it can extend.
 */
export function ingestRun(db: Database.Database, report: RunReport, branch: string): IngestOutcome {
  const digest = reportDigest(report);
  return db.transaction((): IngestOutcome => {
    if (!saveRun(db, report)) {
      const known = db.prepare('SELECT sha256 FROM run_digest WHERE run_id = ?').get(report.id) as { sha256: string } | undefined;
      // A run stored by the CLI has no digest: the same id is then taken as the same run.
      const same = known === undefined || known.sha256 === digest || known.sha256 === legacyReportDigest(report);
      return same ? { status: 'duplicate', id: report.id } : { status: 'conflict', id: report.id };
    }
    db.prepare('INSERT INTO run_digest (run_id, sha256) VALUES (?, ?)').run(report.id, digest);
    const staleSeries = markSeriesStale(db, report.id, branch);
    const measurements = report.benchmarks.reduce((n, b) => n + b.measurements.length, 0);
    return { status: 'stored', id: report.id, benchmarks: report.benchmarks.length, measurements, staleSeries };
  })();
}
