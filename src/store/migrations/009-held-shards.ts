/**
 * Migration 9: shards held by the service. A sharded run's shards arrive one upload at a time;
 * each is held (its report as JSON, with the digest that tells a retry from new content) in its
 * group — kind, project, head commit, number of shards and partition digest — until all N are
 * there and are merged into one run (`merged_run_id`). A merged group keeps its shards' digests,
 * so a late retry is recognised, and drops their reports.
 */
export const sql = `
CREATE TABLE shard_group (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL,
  project       TEXT NOT NULL,
  head_sha      TEXT NOT NULL,
  n             INTEGER NOT NULL,
  partition     TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  merged_run_id TEXT REFERENCES run(id),
  UNIQUE (kind, project, head_sha, n, partition)
);
CREATE TABLE held_shard (
  group_id    INTEGER NOT NULL REFERENCES shard_group(id),
  k           INTEGER NOT NULL,
  run_id      TEXT NOT NULL UNIQUE,
  sha256      TEXT NOT NULL,
  received_at TEXT NOT NULL,
  report_json TEXT,
  PRIMARY KEY (group_id, k)
);
`;
