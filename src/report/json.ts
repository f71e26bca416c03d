/** The JSON report: the run model itself, so it can be stored, posted to the API or replayed. */
import type { RunReport } from '../model.js';

/** Serialises the report (pretty, stable key order as built). */
export function renderJson(report: RunReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
