/** `benchgate merge`: join the reports of shards 1…N of one run into one report, one verdict, one exit code. */
import { resolveConfig } from '../config/schema.js';
import { EXIT, UserError } from '../errors.js';
import { mergeFailureMarkdown, mergeRuns } from '../report/merge-runs.js';
import { renderJson } from '../report/json.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderTerminal } from '../report/terminal.js';
import { writeReportFile } from '../report/write-file.js';
import type { Command } from './command.js';

/** Shards that do not make one whole: the gate fails (exit 2) and the message names each problem. */
export class MergeError extends UserError {}

export const command: Command = {
  name: 'merge',
  summary: "join the JSON reports of a sharded run's shards (--shard K/N) into one report and one verdict",
  usage: 'benchgate merge REPORT.json... [--report-markdown PATH] [--report-json PATH] [--json]',
  configKeys: ['report-markdown', 'report-json', 'json'],
  async main(flags, positionals) {
    if (positionals.length === 0)
      throw new MergeError(
        "'merge' needs the shards' JSON reports, e.g. benchgate merge shard-*/benchgate-report.json",
      );
    const config = resolveConfig(flags);
    const merged = mergeRuns(positionals);
    if (merged.report === null) {
      writeReportFile(config.reportMarkdown, mergeFailureMarkdown(merged.problems));
      throw new MergeError(`cannot merge the shards:\n  ${merged.problems.join('\n  ')}`);
    }
    const report = merged.report;
    writeReportFile(config.reportMarkdown, renderMarkdown(report));
    writeReportFile(config.reportJson, renderJson(report));
    process.stdout.write(config.json ? renderJson(report) : renderTerminal(report) + '\n');
    return report.summary.regressed > 0 ? EXIT.regression : EXIT.ok;
  },
};
