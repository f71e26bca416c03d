/** `benchgate roofline`: measure the machine's roofs and every benchmark, and set one against the other. */
import { resolve } from 'node:path';
import { resolveConfig } from '../config/schema.js';
import { rooflineRun } from '../pipeline/roofline-run.js';
import { renderRooflineMarkdown, renderRooflineTerminal } from '../report/roofline-table.js';
import { renderRooflineSvg } from '../report/roofline-svg.js';
import { EXIT } from '../errors.js';
import { writeReportFile } from '../report/write-file.js';
import type { Command } from './command.js';
import { progressLine } from '../report/progress.js';

export const command: Command = {
  name: 'roofline',
  summary: "measure the machine's FMA peak and triad bandwidth, run every benchmark, and show each against them",
  usage:
    'benchgate roofline [--profile quick|full] [--filter GLOB] [--rounds N] [--time-budget SECONDS] [--out PREFIX] [--json]',
  configKeys: ['filter', 'rounds', 'time-budget', 'profile', 'json', 'suite'],
  extraOptions: {
    out: { type: 'string', describe: 'write PREFIX.md, PREFIX.json and PREFIX.svg (default benchgate-roofline)' },
  },
  async main(flags) {
    const { out, ...rest } = flags;
    const config = resolveConfig(rest);
    const prefix = resolve(typeof out === 'string' && out !== '' ? out : 'benchgate-roofline');
    const progress = progressLine();
    const report = await rooflineRun(config, process.cwd(), progress.update).finally(progress.end);
    const json = `${JSON.stringify(report, null, 2)}\n`;
    writeReportFile(`${prefix}.md`, renderRooflineMarkdown(report));
    writeReportFile(`${prefix}.json`, json);
    writeReportFile(`${prefix}.svg`, renderRooflineSvg(report));
    process.stdout.write(
      config.json ? json : `${renderRooflineTerminal(report)}\n\nwrote ${prefix}.md, ${prefix}.json, ${prefix}.svg\n`,
    );
    return EXIT.ok;
  },
};
