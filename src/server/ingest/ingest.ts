/**
 * Ingestion of a run posted to the API (or replayed from `--json`): store it idempotently by id,
 * remember a digest of its content to tell a retry from a conflicting re-use of the id, and mark
 * the series it touches for change-point recomputation.
 */
import type Database from 'better-sqlite3';
import type { RunReport } from '../../model.js';
import { saveRun } from '../../store/runs.js';
import { markSeriesStale } from '../../store/series.js';
import { reportDigest, sameDigest } from './run-digest.js';

/** What ingesting a run did. */
export type IngestOutcome =
  | { status: 'stored'; id: string; benchmarks: number; measurements: number; staleSeries: number }
  | { status: 'duplicate'; id: string }
  | { status: 'conflict'; id: string };

/**
 * Stores `report` (as `validateRun` returns it) unless its id is stored already; `branch` is the
 * branch whose series it can extend.
 */
export function ingestRun(db: Database.Database, report: RunReport, branch: string): IngestOutcome {
  const digest = reportDigest(report);
  return db.transaction((): IngestOutcome => {
    if (!saveRun(db, report)) {
      const known = db.prepare('SELECT sha256 FROM run_digest WHERE run_id = ?').get(report.id) as
        { sha256: string } | undefined;
      // A run stored by the CLI has no digest: the same id is then taken as the same run.
      const same = known === undefined || known.sha256 === digest || sameDigest(known.sha256, report);
      return same ? { status: 'duplicate', id: report.id } : { status: 'conflict', id: report.id };
    }
    db.prepare('INSERT INTO run_digest (run_id, sha256) VALUES (?, ?)').run(report.id, digest);
    const staleSeries = markSeriesStale(db, report.id, branch);
    const measurements = report.benchmarks.reduce((n, b) => n + b.measurements.length, 0);
    return { status: 'stored', id: report.id, benchmarks: report.benchmarks.length, measurements, staleSeries };
  })();
}
