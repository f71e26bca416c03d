/**
 * Migration 5: a series' points move from the `result_series` index to a `series_point` table
 * that is written in batches. An index keyed by benchmark gets one entry per benchmark of every
 * run, at 500 different leaf pages for a 500-benchmark run; each of those pages was written to
 * the WAL at every commit and again at every checkpoint (~93% of the pages an upload wrote). A
 * stored run is now listed in `series_pending` and its points are copied into `series_point`,
 * sorted, once 64 runs are pending (src/store/runs.ts), so a leaf is written once per batch;
 * series reads take `series_point` plus the pending runs' results by primary key.
 */
export const sql = `
CREATE TABLE series_point (
  benchmark_id   INTEGER NOT NULL,
  run_id         TEXT NOT NULL,
  state          TEXT NOT NULL,
  median_seconds REAL,
  PRIMARY KEY (benchmark_id, run_id)
) WITHOUT ROWID;
CREATE TABLE series_pending (
  run_id TEXT PRIMARY KEY REFERENCES run(id)
) WITHOUT ROWID;
INSERT INTO series_point (benchmark_id, run_id, state, median_seconds)
  SELECT benchmark_id, run_id, state, median_seconds FROM result ORDER BY benchmark_id, run_id;
DROP INDEX IF EXISTS result_series;
`;
