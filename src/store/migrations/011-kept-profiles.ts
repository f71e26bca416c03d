/**
 * Migration 11: profiles kept for later runs. A history run with `keep-profiles` keeps, for each
 * benchmark it profiled, each function's self time per call (`functions_json`: an array of
 * `[function, file, line, msPerCall]`, largest first, the small tail left out) so that a later
 * run's regression can be compared against it. Not the raw samples: a few kilobytes a benchmark.
 * The index finds a benchmark's latest kept profile without scanning the runs.
 */
export const sql = `
CREATE TABLE kept_profile (
  run_id         TEXT NOT NULL REFERENCES run(id),
  benchmark_id   INTEGER NOT NULL REFERENCES benchmark(id),
  calls          INTEGER NOT NULL,
  functions_json TEXT NOT NULL,
  PRIMARY KEY (run_id, benchmark_id)
) WITHOUT ROWID;
CREATE INDEX kept_profile_by_benchmark ON kept_profile (benchmark_id);
`;
