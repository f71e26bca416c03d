/**
 * Migration 7: measures besides time. Each process measurement keeps its figures of the other
 * measures (`values_json`, e.g. `{"peak-memory": 1048576}`); each result keeps, per other measure,
 * its medians and its verdict (`result_measure`), and whether its time verdict gates (`gated`).
 * Runs stored before read as time only.
 */
export const sql = `
ALTER TABLE measurement ADD COLUMN values_json TEXT;
ALTER TABLE result ADD COLUMN gated INTEGER NOT NULL DEFAULT 1;
CREATE TABLE result_measure (
  run_id          TEXT NOT NULL REFERENCES run(id),
  benchmark_id    INTEGER NOT NULL REFERENCES benchmark(id),
  measure         TEXT NOT NULL,
  gated           INTEGER NOT NULL,
  median          REAL,
  baseline_median REAL,
  verdict_json    TEXT,
  PRIMARY KEY (run_id, benchmark_id, measure)
) WITHOUT ROWID;
`;
