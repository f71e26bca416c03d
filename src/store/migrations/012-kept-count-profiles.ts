/**
 * Migration 12: count profiles kept for later runs, beside the self times of migration 11. Where
 * a benchmark's profiler counts instead of timing (callgrind's instructions, V8's sampled
 * allocated bytes), a history run with `keep-profiles` keeps each function's own count per call
 * (`functions_json`: `[function, file, line, perCall]`, largest first, the small tail left out),
 * with the unit and the profiler, so that a later run's regression is compared in the same unit.
 */
export const sql = `
CREATE TABLE kept_count_profile (
  run_id         TEXT NOT NULL REFERENCES run(id),
  benchmark_id   INTEGER NOT NULL REFERENCES benchmark(id),
  unit           TEXT NOT NULL CHECK (unit IN ('instructions', 'bytes')),
  profiler       TEXT NOT NULL,
  calls          INTEGER NOT NULL,
  functions_json TEXT NOT NULL,
  PRIMARY KEY (run_id, benchmark_id)
) WITHOUT ROWID;
CREATE INDEX kept_count_profile_by_benchmark ON kept_count_profile (benchmark_id);
`;
