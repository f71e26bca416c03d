/** Writes the JSON and Markdown reports where the config says (the JSON one is `report-path`). */
import type { Config } from '../config/schema.js';
import type { RunReport } from '../model.js';
import { renderJson } from '../report/json.js';
import { renderMarkdown } from '../report/markdown.js';
import { writeReportFile } from '../report/write-file.js';

/** Writes both files. */
export function writeReports(config: Config, report: RunReport): void {
  for (const [path, text] of [
    [config.reportJson, renderJson(report)],
    [config.reportMarkdown, renderMarkdown(report)],
  ] as const)
    writeReportFile(path, text);
}
