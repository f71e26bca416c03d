/**
 * Ingestion of a run posted to the API (or replayed from `--json`): store it idempotently by id,
 * remember a digest of its content to tell a retry from a conflicting re-use of the id, and mark
 * the series it touches for change-point recomputation. A shard's run is held until its run is
 * whole, then stored as one run (shards.ts).
 */
import type Database from 'better-sqlite3';
import type { RunReport } from '../../model.js';
import { saveRun } from '../../store/runs.js';
import { markSeriesStale } from '../../store/series.js';
import { reportDigest, sameDigest } from './run-digest.js';
import { ingestShard } from './shards.js';

/** A run that was stored. */
export interface StoredOutcome {
  status: 'stored';
  id: string;
  benchmarks: number;
  measurements: number;
  staleSeries: number;
}

/** Which shard of how many an outcome is about. */
export interface ShardPlace {
  k: number;
  n: number;
}

/** What ingesting a run did. */
export type IngestOutcome =
  | StoredOutcome
  | { status: 'duplicate'; id: string }
  | { status: 'conflict'; id: string }
  /** A shard held until the shards in `waiting` arrive; `replaced` is the run id of the shard it replaced. */
  | (ShardPlace & {
      status: 'held';
      id: string;
      waiting: number[];
      replaced: string | null;
      otherPartitions: number;
    })
  /** The shard that made its run whole: `id` is the merged run, `shardId` this shard's run. */
  | (ShardPlace & Omit<StoredOutcome, 'status'> & { status: 'merged'; shardId: string })
  /** A shard received before; `mergedInto` is its merged run, or null while `waiting` for others. */
  | (ShardPlace & { status: 'shard-duplicate'; id: string; mergedInto: string | null; waiting: number[] })
  /** A shard with new content for a run already merged: not stored. */
  | (ShardPlace & { status: 'late'; id: string; mergedInto: string })
  /** A shard that is invalid (422) or does not make one run with the shards held (409): nothing stored. */
  | { status: 'refused'; id: string; httpStatus: 409 | 422; problems: string[] };

/** Stores a whole run unless its id is stored already. */
export function storeRun(db: Database.Database, report: RunReport, branch: string): IngestOutcome {
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

/**
 * Stores `report` (as `validateRun` returns it) unless its id is stored already, or holds it when
 * it is a shard's run; `branch` is the branch whose series it can extend.
 */
export function ingestRun(db: Database.Database, report: RunReport, branch: string): IngestOutcome {
  if (report.settings.shard === undefined) return storeRun(db, report, branch);
  return ingestShard(db, report, (merged) => storeRun(db, merged, branch));
}
