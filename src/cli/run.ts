/** `benchgate run`: measure the suite, judge it against this testbed's history, store and report. */
import { resolveConfig } from '../config/schema.js';
import { historyRun } from '../pipeline/history-run.js';
import { renderJson } from '../report/json.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderTerminal } from '../report/terminal.js';
import { EXIT } from '../errors.js';
import { writeReportFile } from '../report/write-file.js';
import type { Command } from './command.js';
import { progressLine } from '../report/progress.js';

export const command: Command = {
  name: 'run',
  summary: 'benchmark the suite, compare with the history of this testbed, store and report',
  usage:
    'benchgate run [--filter GLOB] [--rounds N] [--time-budget SECONDS] [--db PATH] [--profile quick|full] [--json] [--config PATH] [--shard K/N]',
  configKeys: [
    'filter',
    'rounds',
    'time-budget',
    'db',
    'profile',
    'json',
    'suite',
    'project',
    'report-markdown',
    'report-json',
    'threshold',
    'shard',
  ],
  async main(flags) {
    const config = resolveConfig(flags);
    const progress = progressLine();
    const status = (line: string) => process.stderr.write(`benchgate: ${line}\n`);
    const report = await historyRun(config, process.cwd(), progress.update, status).finally(progress.end);
    writeReportFile(config.reportMarkdown, renderMarkdown(report));
    writeReportFile(config.reportJson, renderJson(report));
    process.stdout.write(config.json ? renderJson(report) : renderTerminal(report) + '\n');
    return report.summary.regressed > 0 ? EXIT.regression : EXIT.ok;
  },
};
