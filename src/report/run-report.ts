/** The one constructor of a run report, for `run`, `compare` and the detection benchmark's collector. */
import { randomUUID } from 'node:crypto';
import { RUN_SCHEMA, type RunReport } from '../model.js';
import { summarise } from './summary.js';

/** What a pipeline knows of its run; the id, schema, finishing time and summary are added here. */
export type RunParts = Omit<RunReport, 'schema' | 'id' | 'finishedAt' | 'summary'>;

/** A new run report with a fresh id, finished now. */
export function newRunReport(parts: RunParts): RunReport {
  return {
    schema: RUN_SCHEMA,
    id: randomUUID(),
    ...parts,
    finishedAt: new Date().toISOString(),
    summary: summarise(parts.benchmarks),
  };
}
