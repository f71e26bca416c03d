/**
 * Migration 8: a paired process's ratio taken block by block. The head side's measurement of a
 * process that timed both revisions in alternating blocks keeps ln(head/base) over adjacent blocks
 * (`block_log_ratio`), which the paired comparison of time uses; null elsewhere and in runs stored
 * before.
 */
export const sql = `
ALTER TABLE measurement ADD COLUMN block_log_ratio REAL;
`;
