/**
 * Migration 4: drops the per-benchmark indexes nothing needs. Every stored run adds one entry per
 * benchmark to each index keyed by benchmark, at 500 different places (one leaf page each), and
 * each dirty page is written to the WAL at commit: with four such indexes a 500-benchmark run
 * wrote ~2,000 pages (8 MB). `result_series` (benchmark, run, state, median) stays: the series
 * reads need it and it already covers lookups by benchmark; verdicts are only read by run, and
 * the history of a benchmark's measurements is found run by run (`measurement_by_run`).
 */
export const sql = `
DROP INDEX IF EXISTS result_by_benchmark;
DROP INDEX IF EXISTS verdict_by_benchmark;
DROP INDEX IF EXISTS measurement_by_benchmark;
`;
