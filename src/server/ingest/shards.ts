/**
 * A shard's run posted to the service (`run --shard K/N` on one runner of N): it is held until all
 * N shards of its run are there — same kind, project, head commit, N and partition digest — and
 * then joined by `merge`'s own checks and join into one run, stored under the id the data branch
 * gives it too (derived from the shards' run ids). Each upload is checked against the shards held
 * before it is held: one that does not make one run with them (other settings, a benchmark another
 * shard has) is refused, naming the problem, and nothing is stored. The same shard twice is a
 * no-op; a re-run shard replaces the one held, as a newer file does on the data branch.
 */
import type Database from 'better-sqlite3';
import type { RunReport } from '../../model.js';
import { joinShardRuns } from '../../report/merge-runs.js';
import { mergeProblems, shardRecordOf, type ShardReport } from '../../report/merge-runs.js';
import {
  createShardGroup,
  findShardGroup,
  heldShardByRunId,
  heldShards,
  holdShard,
  markShardGroupMerged,
  otherPartitionGroups,
  shardGroupById,
  type HeldShard,
  type ShardGroupKey,
} from '../../store/held-shards.js';
import { ValidationError } from '../../validate/check.js';
import { validateRun } from '../../validate/run.js';
import type { IngestOutcome } from './ingest.js';
import { reportDigest } from './run-digest.js';

const shardName = (k: number, n: number, runId: string) => `shard ${k}/${n} (run ${runId})`;

/** The shard numbers 1…n not in `held`. */
const missing = (n: number, held: Iterable<number>): number[] => {
  const have = new Set(held);
  return Array.from({ length: n }, (_, i) => i + 1).filter((k) => !have.has(k));
};

/** `mergeProblems` of shards that need not all be there yet: a missing shard is no problem. */
function problemsSoFar(shards: readonly ShardReport[]): string[] {
  return mergeProblems(shards, { partial: true });
}

/** A held shard's report, read back (it was validated when it arrived). */
function heldReport(h: HeldShard, n: number): ShardReport {
  const report = validateRun(JSON.parse(h.reportJson as string));
  return { source: shardName(h.k, n, h.runId), report, shard: shardRecordOf(report.settings) };
}

/**
 * Holds `report`, a validated run whose settings carry `shard`, or merges it with the shards held
 * and stores the merged run with `store`; all in one transaction.
 */
export function ingestShard(
  db: Database.Database,
  report: RunReport,
  store: (merged: RunReport) => IngestOutcome,
): IngestOutcome {
  let mine: ShardReport;
  try {
    mine = { source: '', report, shard: shardRecordOf(report.settings) };
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    return { status: 'refused', id: report.id, httpStatus: 422, problems: [e.message] };
  }
  const { k, n } = mine.shard;
  const headSha = report.head.sha;
  if (headSha === null)
    return {
      status: 'refused',
      id: report.id,
      httpStatus: 422,
      problems: ["a shard's run needs its head commit (head.sha is null): the shards of one run are found by it"],
    };
  mine.source = shardName(k, n, report.id);
  const digest = reportDigest(report);
  return db.transaction((): IngestOutcome => {
    const known = heldShardByRunId(db, report.id);
    if (known !== undefined) {
      if (known.sha256 !== digest) return { status: 'conflict', id: report.id };
      const group = shardGroupById(db, known.groupId);
      const waiting =
        group.mergedRunId === null
          ? missing(
              n,
              heldShards(db, group.id).map((h) => h.k),
            )
          : [];
      return { status: 'shard-duplicate', id: report.id, k, n, mergedInto: group.mergedRunId, waiting };
    }
    if (db.prepare('SELECT 1 FROM run WHERE id = ?').get(report.id)) return { status: 'conflict', id: report.id };
    const key: ShardGroupKey = {
      kind: report.kind,
      project: report.project,
      headSha,
      n,
      partition: mine.shard.partition,
    };
    const group = findShardGroup(db, key);
    const mergedInto = group?.mergedRunId ?? null;
    if (mergedInto !== null) return { status: 'late', id: report.id, k, n, mergedInto };

    const alone = problemsSoFar([mine]);
    if (alone.length > 0) return { status: 'refused', id: report.id, httpStatus: 422, problems: alone };
    const held = group === undefined ? [] : heldShards(db, group.id);
    const others = held.filter((h) => h.k !== k).map((h) => heldReport(h, n));
    const shards = [...others, mine];
    const problems = problemsSoFar(shards);
    if (problems.length > 0) return { status: 'refused', id: report.id, httpStatus: 409, problems };

    const now = new Date().toISOString();
    const groupId = group?.id ?? createShardGroup(db, key, now);
    holdShard(db, { groupId, k, runId: report.id, sha256: digest, reportJson: JSON.stringify(report) }, now);
    const replaced = held.find((h) => h.k === k)?.runId ?? null;
    if (shards.length < n) {
      const waiting = missing(
        n,
        shards.map((s) => s.shard.k),
      );
      return { status: 'held', id: report.id, k, n, waiting, replaced, otherPartitions: otherPartitionGroups(db, key) };
    }
    const merged = joinShardRuns(shards);
    const outcome = store(merged);
    if (outcome.status === 'stored') {
      markShardGroupMerged(db, groupId, merged.id);
      return { ...outcome, status: 'merged', shardId: report.id, k, n };
    }
    // The merged id derives from the shards' run ids: a run under it means these very shards were
    // merged before (their group then lost, which only an edited database does).
    if (outcome.status === 'duplicate') {
      markShardGroupMerged(db, groupId, merged.id);
      return { status: 'shard-duplicate', id: report.id, k, n, mergedInto: merged.id, waiting: [] };
    }
    throw new Error(`the merged run ${merged.id} conflicts with a stored run of that id`);
  })();
}
