/** `benchgate import`: store results a team's own benchmark job produced as a history run, and report. */
import { HARNESSES, type HarnessKind } from '../config/harnesses.js';
import { ConfigError } from '../config/parse.js';
import { resolveConfig } from '../config/schema.js';
import { EXIT } from '../errors.js';
import { importRun, THIS_MACHINE } from '../pipeline/import-run.js';
import { renderJson } from '../report/json.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderTerminal } from '../report/terminal.js';
import { writeReportFile } from '../report/write-file.js';
import type { Command } from './command.js';

/** The harnesses whose output can be imported: all but `command`, which times a command itself. */
const IMPORTABLE = HARNESSES.filter((h) => h !== 'command');

export const command: Command = {
  name: 'import',
  summary: "store a harness's output files from another job as a history run, judged against the history",
  usage: `benchgate import --harness ${IMPORTABLE.join('|')} --testbed NAME [--command TEXT] [--sha SHA] [--ref REF] [--db PATH] [--json] FILE...`,
  configKeys: [
    'db',
    'project',
    'filter',
    'threshold',
    'json',
    'report-markdown',
    'report-json',
    'main-branch',
    'change-point-window',
  ],
  extraOptions: {
    harness: { type: 'string', describe: `the harness that wrote the files: ${IMPORTABLE.join(', ')}` },
    testbed: {
      type: 'string',
      describe: `the machine that measured them (history is compared within one testbed); '${THIS_MACHINE}' = this machine`,
    },
    command: { type: 'string', describe: 'the command that produced them (a changed command starts a new series)' },
    sha: { type: 'string', describe: 'the commit measured (default: the checkout here)' },
    ref: { type: 'string', describe: 'its branch (default: the checkout’s)' },
  },
  async main(flags, files) {
    const { harness, testbed, command: run, sha, ref, ...rest } = flags;
    if (typeof harness !== 'string' || !(IMPORTABLE as readonly string[]).includes(harness))
      throw new ConfigError(
        `import: --harness must be one of ${IMPORTABLE.join(', ')} but got ${harness === undefined ? 'nothing' : JSON.stringify(harness)}`,
        'harness',
      );
    if (typeof testbed !== 'string')
      throw new ConfigError(
        `import: --testbed is required: name the machine that measured the files (e.g. --testbed ci-ubuntu-4core), or '${THIS_MACHINE}' when it is this one`,
        'testbed',
      );
    const config = resolveConfig(rest);
    const report = await importRun(config, process.cwd(), {
      harness: harness as HarnessKind,
      files,
      testbed,
      command: (run as string | undefined) ?? null,
      sha: (sha as string | undefined) ?? null,
      ref: (ref as string | undefined) ?? null,
    });
    writeReportFile(config.reportMarkdown, renderMarkdown(report));
    writeReportFile(config.reportJson, renderJson(report));
    process.stdout.write(config.json ? renderJson(report) : renderTerminal(report) + '\n');
    return report.summary.regressed > 0 ? EXIT.regression : EXIT.ok;
  },
};
