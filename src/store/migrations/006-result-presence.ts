/**
 * Migration 6: whether a result's benchmark exists on both revisions becomes a column of its own
 * (it was kept inside the verdict details of a `presence` placeholder verdict), and results that
 * were not compared (one-sided, errored or skipped) lose their placeholder verdicts: a verdict is
 * stored only where something was compared.
 */
export const sql = `
ALTER TABLE result ADD COLUMN presence TEXT NOT NULL DEFAULT 'both' CHECK (presence IN ('both', 'added', 'removed'));
UPDATE result SET presence = (
  SELECT json_extract(v.details_json, '$.presence') FROM verdict v WHERE v.run_id = result.run_id AND v.benchmark_id = result.benchmark_id
) WHERE EXISTS (
  SELECT 1 FROM verdict v WHERE v.run_id = result.run_id AND v.benchmark_id = result.benchmark_id
    AND v.method = 'presence' AND json_extract(v.details_json, '$.presence') IN ('added', 'removed')
);
DELETE FROM verdict WHERE EXISTS (
  SELECT 1 FROM result r WHERE r.run_id = verdict.run_id AND r.benchmark_id = verdict.benchmark_id AND (r.presence <> 'both' OR r.state <> 'completed')
);
`;
