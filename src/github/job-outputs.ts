/** The step's outputs (GITHUB_OUTPUT), set through @actions/core: verdict, counts and the report path. */
import * as core from '@actions/core';
import type { RunReport } from '../model.js';

/** `regressed` when anything regressed, `improved` when only improvements, else `unchanged`. */
export function overallVerdict(report: RunReport): 'regressed' | 'improved' | 'unchanged' {
  if (report.summary.regressed > 0) return 'regressed';
  if (report.summary.improved > 0) return 'improved';
  return 'unchanged';
}

/** Sets `verdict`, `regressions`, `improvements` and `report-path`. */
export function setGateOutputs(report: RunReport, reportPath: string): void {
  core.setOutput('verdict', overallVerdict(report));
  core.setOutput('regressions', String(report.summary.regressed));
  core.setOutput('improvements', String(report.summary.improved));
  core.setOutput('report-path', reportPath);
}
