/**
 * Shards the service holds until their run is whole (migration 9): groups keyed by kind, project,
 * head commit, number of shards and partition digest, and each group's shards by number.
 */
import type Database from 'better-sqlite3';

/** What makes shards one run: shards of one group are merged once all `n` are held. */
export interface ShardGroupKey {
  kind: string;
  project: string;
  headSha: string;
  n: number;
  partition: string;
}

/** A group as stored: its row id and the run its shards became, once merged. */
export interface ShardGroup {
  id: number;
  mergedRunId: string | null;
}

/** One held shard; `reportJson` is null once its group is merged. */
export interface HeldShard {
  groupId: number;
  k: number;
  runId: string;
  sha256: string;
  reportJson: string | null;
}

const SHARD_COLUMNS = 'group_id AS groupId, k, run_id AS runId, sha256, report_json AS reportJson';

/** The group of `key`, if any shard of it was ever held. */
export function findShardGroup(db: Database.Database, key: ShardGroupKey): ShardGroup | undefined {
  return db
    .prepare(
      `SELECT id, merged_run_id AS mergedRunId FROM shard_group
       WHERE kind = ? AND project = ? AND head_sha = ? AND n = ? AND partition = ?`,
    )
    .get(key.kind, key.project, key.headSha, key.n, key.partition) as ShardGroup | undefined;
}

/** The group a held shard belongs to. */
export function shardGroupById(db: Database.Database, id: number): ShardGroup {
  return db.prepare('SELECT id, merged_run_id AS mergedRunId FROM shard_group WHERE id = ?').get(id) as ShardGroup;
}

/** Creates the group of `key`; returns its id. */
export function createShardGroup(db: Database.Database, key: ShardGroupKey, now: string): number {
  const r = db
    .prepare('INSERT INTO shard_group (kind, project, head_sha, n, partition, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(key.kind, key.project, key.headSha, key.n, key.partition, now);
  return Number(r.lastInsertRowid);
}

/** Unmerged groups of the same commit and number of shards under another partition digest. */
export function otherPartitionGroups(db: Database.Database, key: ShardGroupKey): number {
  return (
    db
      .prepare(
        `SELECT count(*) AS n FROM shard_group
         WHERE kind = ? AND project = ? AND head_sha = ? AND n = ? AND partition <> ? AND merged_run_id IS NULL`,
      )
      .get(key.kind, key.project, key.headSha, key.n, key.partition) as { n: number }
  ).n;
}

/** The shards a group holds, by shard number. */
export function heldShards(db: Database.Database, groupId: number): HeldShard[] {
  return db
    .prepare(`SELECT ${SHARD_COLUMNS} FROM held_shard WHERE group_id = ? ORDER BY k`)
    .all(groupId) as HeldShard[];
}

/** The held shard whose run id is `runId`, if any. */
export function heldShardByRunId(db: Database.Database, runId: string): HeldShard | undefined {
  return db.prepare(`SELECT ${SHARD_COLUMNS} FROM held_shard WHERE run_id = ?`).get(runId) as HeldShard | undefined;
}

/** Holds `shard` in its group, replacing the shard of the same number held before. */
export function holdShard(db: Database.Database, shard: HeldShard & { reportJson: string }, now: string): void {
  db.prepare('DELETE FROM held_shard WHERE group_id = ? AND k = ?').run(shard.groupId, shard.k);
  db.prepare(
    'INSERT INTO held_shard (group_id, k, run_id, sha256, received_at, report_json) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(shard.groupId, shard.k, shard.runId, shard.sha256, now, shard.reportJson);
}

/** Records that a group's shards became run `runId`, and drops their reports (their digests stay). */
export function markShardGroupMerged(db: Database.Database, groupId: number, runId: string): void {
  db.prepare('UPDATE shard_group SET merged_run_id = ? WHERE id = ?').run(runId, groupId);
  db.prepare('UPDATE held_shard SET report_json = NULL WHERE group_id = ?').run(groupId);
}
