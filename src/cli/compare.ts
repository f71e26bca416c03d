/** `benchgate compare`: measure two revisions interleaved, decide per benchmark, store and report. */
import { resolveConfig } from '../config/schema.js';
import { compareRun } from '../pipeline/compare-run.js';
import { renderJson } from '../report/json.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderTerminal } from '../report/terminal.js';
import { EXIT } from '../errors.js';
import { writeReportFile } from '../report/write-file.js';
import type { Command } from './command.js';
import { progressLine } from '../report/progress.js';

export const command: Command = {
  name: 'compare',
  summary: 'build and measure two revisions interleaved, decide per benchmark with paired statistics',
  usage:
    'benchgate compare --base REF [--head REF] [--filter GLOB] [--threshold PERCENT] [--alpha A] [--time-budget SECONDS] [--min-rounds N] [--max-rounds N] [--json] [--db PATH] [--shard K/N]',
  configKeys: [
    'base',
    'head',
    'filter',
    'threshold',
    'alpha',
    'time-budget',
    'min-rounds',
    'max-rounds',
    'isolation',
    'json',
    'db',
    'profile',
    'suite',
    'project',
    'build-command',
    'report-markdown',
    'report-json',
    'shard',
    'profile-budget',
    'profile-regressions',
  ],
  async main(flags) {
    const config = resolveConfig(flags);
    const progress = progressLine();
    const status = (line: string) => process.stderr.write(`benchgate: ${line}\n`);
    const report = await compareRun(config, process.cwd(), progress.update, status).finally(progress.end);
    writeReportFile(config.reportMarkdown, renderMarkdown(report));
    writeReportFile(config.reportJson, renderJson(report));
    process.stdout.write(config.json ? renderJson(report) : renderTerminal(report) + '\n');
    return report.summary.regressed > 0 ? EXIT.regression : EXIT.ok;
  },
};
