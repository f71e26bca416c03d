/** Migration 9 and the held-shard queries on a real SQLite database. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/store/migrate.js';
import {
  createShardGroup,
  findShardGroup,
  heldShardByRunId,
  heldShards,
  holdShard,
  markShardGroupMerged,
  otherPartitionGroups,
} from '../../../src/store/held-shards.js';

const key = { kind: 'history', project: 'p', headSha: 'a'.repeat(40), n: 2, partition: 'f'.repeat(64) };
const NOW = '2026-01-01T00:00:00.000Z';

describe('held shards (migration 9)', () => {
  it('migrates a version-8 store and holds, replaces and merges shards of one group', () => {
    const db = new Database(':memory:');
    migrate(db, 8);
    db.exec(`INSERT INTO project (id, name) VALUES (1, 'p');
      INSERT INTO testbed (id, key, cpu_model, cores, simd, os, node, gpu) VALUES (1, 'tb', 'cpu', 2, 'avx2', 'linux-x64', 'v20', NULL);
      INSERT INTO run (id, project_id, testbed_id, kind, profile, started_at, finished_at, settings_json, summary_json)
        VALUES ('merged-1', 1, 1, 'history', 'quick', '${NOW}', '${NOW}', '{}', '{}');`);
    expect(migrate(db)).toBeGreaterThanOrEqual(9);
    expect(findShardGroup(db, key)).toBeUndefined();
    const id = createShardGroup(db, key, NOW);
    createShardGroup(db, { ...key, partition: 'e'.repeat(64) }, NOW);
    expect(otherPartitionGroups(db, key)).toBe(1);
    expect(() => createShardGroup(db, key, NOW)).toThrow(/UNIQUE/);
    holdShard(db, { groupId: id, k: 1, runId: 'r1', sha256: 'd1', reportJson: '{}' }, NOW);
    holdShard(db, { groupId: id, k: 1, runId: 'r1b', sha256: 'd1b', reportJson: '{"b":1}' }, NOW);
    holdShard(db, { groupId: id, k: 2, runId: 'r2', sha256: 'd2', reportJson: '{}' }, NOW);
    expect(heldShards(db, id).map((h) => [h.k, h.runId])).toEqual([
      [1, 'r1b'],
      [2, 'r2'],
    ]);
    expect(heldShardByRunId(db, 'r1')).toBeUndefined();
    markShardGroupMerged(db, id, 'merged-1');
    expect(findShardGroup(db, key)).toEqual({ id, mergedRunId: 'merged-1' });
    expect(heldShards(db, id).map((h) => h.reportJson)).toEqual([null, null]);
    expect(heldShardByRunId(db, 'r2')).toMatchObject({ groupId: id, k: 2, sha256: 'd2' });
  });
});
