/**
 * `benchgate init`: finds the benchmarks a repository already has and writes
 * `benchgate.config.json` naming their harnesses, and the two workflows that gate pull requests
 * with them. Run at the repository root; never overwrites a file without `--force`.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseConfigText } from '../config/schema.js';
import { EXIT, UserError } from '../errors.js';
import { detectHarnesses, LOOKED_FOR, type Detection } from '../harness/detect.js';
import type { Command } from './command.js';
import { commentWorkflow, gateWorkflow, workflowSafe } from './init-workflows.js';

/** The files init writes, relative to the repository root. */
export const INIT_FILES = {
  config: 'benchgate.config.json',
  gate: '.github/workflows/benchgate.yml',
  comment: '.github/workflows/benchgate-comment.yml',
} as const;

/** A branch name that can stand in a workflow's `branches:` as it is. */
const BRANCH = /^(?!-)(?!.*\.\.)[\w./-]{1,100}$/;

/** One file init writes, and its text. */
export interface PlannedFile {
  path: string;
  text: string;
}

/** The config for what was found: its harnesses and, when one is needed, the build command. */
export function configFor(found: Detection[]): Record<string, unknown> {
  const harnesses = found.map(({ entry }) => ({
    harness: entry.harness,
    command: entry.command,
    ...(entry.cwd === null ? {} : { cwd: entry.cwd }),
  }));
  const builds = found.flatMap((d) => (d.build ? [d.build] : []));
  // benchgate runs `npm ci` by itself only when no build command is set.
  if (!builds.some((b) => !b.byDefault)) return { harnesses };
  return { harnesses, 'build-command': [...new Set(builds.map((b) => b.command))].join(' && ') };
}

/** The three files for what was found, the config checked by the same parser that reads it. */
export function planInit(found: Detection[], mainBranch: string): PlannedFile[] {
  const config = `${JSON.stringify(configFor(found), null, 2)}\n`;
  parseConfigText(config, INIT_FILES.config);
  const toolchains = found.map((d) => d.toolchain);
  return [
    { path: INIT_FILES.config, text: config },
    { path: INIT_FILES.gate, text: gateWorkflow(toolchains, mainBranch) },
    { path: INIT_FILES.comment, text: commentWorkflow() },
  ];
}

/** What was found, with its evidence, for the terminal. */
export function describeFindings(found: Detection[]): string {
  return found
    .map((d) => {
      const head = `  ${d.entry.harness}: ${d.entry.command}${d.entry.cwd === null ? '' : `  (in ${d.entry.cwd}/)`}`;
      const build = d.build && !d.build.byDefault ? [`      build: ${d.build.command}`] : [];
      const lines = d.evidence.map((e) => `      ${e.file}:${e.line}  ${e.text}`);
      return [head, ...build, ...lines].join('\n');
    })
    .join('\n');
}

/** What the user must check before relying on the gate. */
export function checksFor(found: Detection[], mainBranch: string): string[] {
  const unsafe = found.flatMap((d) =>
    d.toolchain.kind === 'python'
      ? d.toolchain.requirements.filter((r) => !workflowSafe(r))
      : d.toolchain.kind === 'go' && !workflowSafe(d.toolchain.goMod)
        ? [d.toolchain.goMod]
        : [],
  );
  return [
    ...found.flatMap((d) => d.checks.map((c) => `${d.entry.harness}: ${c}`)),
    ...unsafe.map(
      (p) => `${p} has characters a workflow cannot take as they are: set it up in ${INIT_FILES.gate} yourself`,
    ),
    `the workflows gate pull requests and keep the history of '${mainBranch}' (--main-branch NAME for another)`,
    'try it before you push: npx benchgate compare --base HEAD~1',
    `commit ${Object.values(INIT_FILES).join(', ')}, then mark the \`benchgate\` check as required (Settings → Branches)`,
  ];
}

function writeFiles(root: string, files: PlannedFile[], force: boolean): void {
  const existing = files.filter((f) => existsSync(join(root, f.path))).map((f) => f.path);
  if (existing.length > 0 && !force)
    throw new UserError(`${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''}: --force overwrites`);
  for (const f of files) {
    mkdirSync(dirname(join(root, f.path)), { recursive: true });
    writeFileSync(join(root, f.path), f.text);
  }
}

export const command: Command = {
  name: 'init',
  summary: "find the repository's own benchmarks and write benchgate.config.json and the two workflows",
  usage: 'benchgate init [--force] [--main-branch NAME]',
  configKeys: [],
  extraOptions: {
    force: { type: 'boolean', describe: 'overwrite benchgate.config.json and the workflows if they exist' },
    'main-branch': { type: 'string', describe: 'the branch whose pushes keep the history (default main)' },
  },
  async main(flags) {
    const root = process.cwd();
    const mainBranch = (flags['main-branch'] as string | undefined) ?? 'main';
    if (!BRANCH.test(mainBranch))
      throw new UserError(
        `'--main-branch' must be a plain branch name like main but got '${mainBranch}'`,
        'main-branch',
      );
    const { found, truncated } = detectHarnesses(root);
    if (found.length === 0)
      throw new UserError(
        `no benchmarks found in ${root}${truncated ? ' (only part of it was scanned: too many files)' : ''}. Looked for:\n${LOOKED_FOR.map((l) => `  - ${l}`).join('\n')}`,
      );
    const files = planInit(found, mainBranch);
    writeFiles(root, files, flags.force === true);
    const checks = checksFor(found, mainBranch);
    if (!existsSync(join(root, '.git'))) checks.unshift(`${root} is not a git repository's root: run init there`);
    if (truncated) checks.unshift('the repository has too many files: only part of it was scanned');
    process.stdout.write(
      `found ${found.length} harness${found.length === 1 ? '' : 'es'}:\n${describeFindings(found)}\n\n` +
        `wrote ${files.map((f) => f.path).join(', ')}\n\ncheck:\n${checks.map((c) => `  - ${c}`).join('\n')}\n`,
    );
    return EXIT.ok;
  },
};
