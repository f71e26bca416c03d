/**
 * Migration 3 (the history service): change points per (benchmark, testbed) series with the
 * state of each series' last computation, hashed API tokens, stored roofline reports, a digest
 * of each ingested run (to tell a retry from a conflicting re-use of an id), and the indexes the
 * series and overview queries need at a million measurements.
 */
export const sql = `
CREATE TABLE change_point (
  benchmark_id INTEGER NOT NULL REFERENCES benchmark(id),
  testbed_id   INTEGER NOT NULL REFERENCES testbed(id),
  run_id       TEXT NOT NULL REFERENCES run(id),
  position     INTEGER NOT NULL,
  p_value      REAL NOT NULL,
  statistic    REAL NOT NULL,
  mean_before  REAL NOT NULL,
  mean_after   REAL NOT NULL,
  change_pct   REAL NOT NULL,
  PRIMARY KEY (benchmark_id, testbed_id, run_id)
);
CREATE TABLE change_point_series (
  benchmark_id INTEGER NOT NULL REFERENCES benchmark(id),
  testbed_id   INTEGER NOT NULL REFERENCES testbed(id),
  branch       TEXT NOT NULL,
  stale        INTEGER NOT NULL DEFAULT 1,
  points       INTEGER NOT NULL DEFAULT 0,
  computed_at  TEXT,
  PRIMARY KEY (benchmark_id, testbed_id)
);
CREATE INDEX change_point_series_stale ON change_point_series (stale) WHERE stale = 1;
CREATE TABLE api_token (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  token_hash  TEXT NOT NULL UNIQUE,
  created_at  TEXT NOT NULL,
  revoked_at  TEXT,
  last_used_at TEXT
);
CREATE UNIQUE INDEX api_token_active_name ON api_token (name) WHERE revoked_at IS NULL;
CREATE TABLE roofline_report (
  id          INTEGER PRIMARY KEY,
  project_id  INTEGER NOT NULL REFERENCES project(id),
  received_at TEXT NOT NULL,
  report_json TEXT NOT NULL
);
CREATE INDEX roofline_by_project ON roofline_report (project_id, id);
CREATE TABLE run_digest (
  run_id TEXT PRIMARY KEY REFERENCES run(id),
  sha256 TEXT NOT NULL
);
-- A series is one benchmark's results over the main-branch history runs of one testbed, in
-- run order: runs are found by (project, testbed, kind, branch) in rowid order, then results by
-- (benchmark, run) without touching the table.
CREATE INDEX run_series ON run (project_id, testbed_id, kind, head_ref);
CREATE INDEX result_series ON result (benchmark_id, run_id, state, median_seconds);
`;
