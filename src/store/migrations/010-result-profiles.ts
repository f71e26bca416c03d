/**
 * Migration 10: where a regression's cost went. A compare run's regressed benchmark may carry a
 * differential CPU profile (`profile_json`, the model's BenchmarkProfile) and a differential of
 * allocated bytes or instructions (`count_profile_json`, CountProfile), kept as the run posted
 * them so the dashboard can show them. Only profiled results have a row; runs stored before have
 * none.
 */
export const sql = `
CREATE TABLE result_profile (
  run_id             TEXT NOT NULL REFERENCES run(id),
  benchmark_id       INTEGER NOT NULL REFERENCES benchmark(id),
  profile_json       TEXT,
  count_profile_json TEXT,
  PRIMARY KEY (run_id, benchmark_id)
) WITHOUT ROWID;
`;
