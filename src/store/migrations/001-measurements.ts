/** Migration 1: projects, testbeds, benchmarks, runs (with their revisions), per-process measurements. */
export const sql = `
CREATE TABLE project (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);
CREATE TABLE testbed (
  id        INTEGER PRIMARY KEY,
  key       TEXT NOT NULL UNIQUE,
  cpu_model TEXT NOT NULL,
  cores     INTEGER NOT NULL,
  simd      TEXT NOT NULL,
  os        TEXT NOT NULL,
  node      TEXT NOT NULL,
  gpu       TEXT
);
CREATE TABLE benchmark (
  id               INTEGER PRIMARY KEY,
  project_id       INTEGER NOT NULL REFERENCES project(id),
  name             TEXT NOT NULL,
  kernel           TEXT NOT NULL,
  implementation   TEXT NOT NULL,
  fixture          TEXT NOT NULL,
  fixture_checksum TEXT NOT NULL,
  flops            REAL,
  bytes            REAL,
  UNIQUE (project_id, name, fixture_checksum)
);
CREATE TABLE run (
  id                TEXT PRIMARY KEY,
  project_id        INTEGER NOT NULL REFERENCES project(id),
  testbed_id        INTEGER NOT NULL REFERENCES testbed(id),
  kind              TEXT NOT NULL CHECK (kind IN ('history', 'compare')),
  profile           TEXT NOT NULL,
  started_at        TEXT NOT NULL,
  finished_at       TEXT NOT NULL,
  head_sha          TEXT,
  head_ref          TEXT,
  head_dirty        INTEGER NOT NULL DEFAULT 0,
  head_message      TEXT,
  head_committed_at TEXT,
  base_sha          TEXT,
  base_ref          TEXT,
  base_dirty        INTEGER,
  base_message      TEXT,
  base_committed_at TEXT,
  settings_json     TEXT NOT NULL,
  summary_json      TEXT NOT NULL
);
CREATE INDEX run_by_testbed ON run (project_id, testbed_id, kind);
CREATE TABLE result (
  run_id                  TEXT NOT NULL REFERENCES run(id),
  benchmark_id            INTEGER NOT NULL REFERENCES benchmark(id),
  state                   TEXT NOT NULL CHECK (state IN ('completed', 'errored', 'skipped')),
  reason                  TEXT,
  median_seconds          REAL,
  spread_pct              REAL,
  baseline_median_seconds REAL,
  gflops                  REAL,
  gbps                    REAL,
  PRIMARY KEY (run_id, benchmark_id)
);
CREATE INDEX result_by_benchmark ON result (benchmark_id);
CREATE TABLE measurement (
  id             INTEGER PRIMARY KEY,
  run_id         TEXT NOT NULL REFERENCES run(id),
  benchmark_id   INTEGER NOT NULL REFERENCES benchmark(id),
  round          INTEGER NOT NULL,
  side           TEXT NOT NULL CHECK (side IN ('head', 'base')),
  state          TEXT NOT NULL CHECK (state IN ('completed', 'errored', 'skipped')),
  reason         TEXT,
  samples        INTEGER NOT NULL,
  median_seconds REAL,
  mean_seconds   REAL,
  min_seconds    REAL,
  max_seconds    REAL,
  mad_seconds    REAL
);
CREATE INDEX measurement_by_run ON measurement (run_id, benchmark_id);
CREATE INDEX measurement_by_benchmark ON measurement (benchmark_id);
`;
