/** Migration 2: the verdict behind every benchmark of a run, with the statistics that made it. */
export const sql = `
CREATE TABLE verdict (
  run_id        TEXT NOT NULL REFERENCES run(id),
  benchmark_id  INTEGER NOT NULL REFERENCES benchmark(id),
  verdict       TEXT NOT NULL CHECK (verdict IN ('regressed', 'improved', 'unchanged', 'inconclusive')),
  method        TEXT NOT NULL,
  change_pct    REAL,
  ci_low_pct    REAL,
  ci_high_pct   REAL,
  p_value       REAL,
  threshold_pct REAL,
  reason        TEXT NOT NULL,
  details_json  TEXT NOT NULL,
  PRIMARY KEY (run_id, benchmark_id)
);
CREATE INDEX verdict_by_benchmark ON verdict (benchmark_id);
`;
