/**
 * A report that arrives as a workflow artifact from a pull request's run is untrusted data (a fork
 * controls that run). It is size-capped, parsed, and checked field by field against the RunReport
 * model (the same check the API applies to posted runs) before anything renders or posts it.
 */
import type { RunReport } from '../model.js';
import { gateChangesOf, summarise } from '../report/summary.js';
import { ValidationError } from '../validate/check.js';
import { validateRun } from '../validate/run.js';
import { UserError } from '../errors.js';

/** The artifact is not a report we will post. */
export class UntrustedReportError extends UserError {}

/** Larger artifacts are refused before parsing. */
export const MAX_REPORT_BYTES = 32 * 1024 * 1024;

/**
 * Parses and checks an artifact's text. The summary is recounted from the benchmarks rather than
 * believed, and the free-form settings are dropped but for the known gating keys a pull request
 * changes: nothing a fork wrote is shown unchecked.
 */
export function parseUntrustedReport(text: string): RunReport {
  if (Buffer.byteLength(text) > MAX_REPORT_BYTES)
    throw new UntrustedReportError(`report is larger than ${MAX_REPORT_BYTES} bytes`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UntrustedReportError(`report is not JSON: ${(e as Error).message}`);
  }
  let report: RunReport;
  try {
    report = validateRun(raw);
  } catch (e) {
    if (e instanceof ValidationError) throw new UntrustedReportError(`report ${e.message}`);
    throw e;
  }
  return untrustedView(report);
}

/**
 * What of a validated but untrusted report is shown and posted: the summary recounted from the
 * benchmarks, verdict details and free-form settings dropped but for the gating keys a pull
 * request changes.
 */
export function untrustedView(report: RunReport): RunReport {
  const benchmarks = report.benchmarks.map((b) =>
    b.verdict === null ? b : { ...b, verdict: { ...b.verdict, details: {} } },
  );
  const gateChanges = gateChangesOf(report);
  return {
    ...report,
    settings: gateChanges.length > 0 ? { gateChanges } : {},
    benchmarks,
    summary: summarise(benchmarks),
  };
}
