/**
 * The `benchgate` command: picks the subcommand, parses its flags strictly, runs it and maps
 * failures to exit codes (0 no regression, 1 regression, 2 usage or configuration, 3 internal).
 */
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { dropCredentialVariables } from '../child-env.js';
import { configKeys } from '../config/schema.js';
import { EXIT, failureOf } from '../errors.js';
import type { Command } from './command.js';

/** Subcommands, loaded on demand so `--help` stays fast. */
const commands: Record<string, () => Promise<{ command: Command }>> = {
  run: () => import('./run.js'),
  compare: () => import('./compare.js'),
  serve: () => import('./serve.js'),
  export: () => import('./export.js'),
  token: () => import('./token.js'),
  roofline: () => import('./roofline.js'),
  init: () => import('./init.js'),
  import: () => import('./import.js'),
  merge: () => import('./merge.js'),
};

const version = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

function optionsOf(cmd: Command): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = {
    help: { type: 'boolean', short: 'h' },
    config: { type: 'string' },
  };
  for (const key of cmd.configKeys) {
    const flag = configKeys[key]?.flag ?? 'string';
    if (flag !== 'file') options[key] = { type: flag };
  }
  for (const [key, o] of Object.entries(cmd.extraOptions ?? {}))
    options[key] = { type: o.type, multiple: o.multiple ?? false };
  return options;
}

function helpOf(cmd: Command): string {
  const rows = [
    ...cmd.configKeys.map((k) => [`--${k}`, configKeys[k]?.describe ?? '']),
    ...Object.entries(cmd.extraOptions ?? {}).map(([k, o]) => [`--${k}`, o.describe]),
    ['--config PATH', 'read settings from a JSON file (default ./benchgate.config.json if present)'],
  ];
  const w = Math.max(...rows.map((r) => (r[0] ?? '').length));
  return `${cmd.summary}\n\nusage: ${cmd.usage}\n\n${rows.map(([k, d]) => `  ${(k ?? '').padEnd(w)}  ${d}`).join('\n')}\n`;
}

async function mainHelp(): Promise<string> {
  const lines = await Promise.all(
    Object.entries(commands).map(async ([name, load]) => `  ${name.padEnd(10)} ${(await load()).command.summary}`),
  );
  return `benchgate ${version} — a performance-regression guardrail for pull requests\n\nusage: benchgate <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nbenchgate <command> --help shows a command's options; benchgate --version prints the version.\nexit codes: 0 no regression, 1 regression found, 2 usage or configuration error, 3 internal failure\n`;
}

async function main(argv: string[]): Promise<number> {
  // benchgate needs none of a job's credentials; the suites it imports must not find them.
  dropCredentialVariables();
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(await mainHelp());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${version}\n`);
    return EXIT.ok;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`benchgate: unknown command '${name}' (commands: ${Object.keys(commands).join(', ')})\n`);
    return EXIT.usage;
  }
  const { command } = await load();
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: optionsOf(command), allowPositionals: true, strict: true });
  } catch (e) {
    process.stderr.write(`benchgate ${name}: ${(e as Error).message}\n\n${helpOf(command)}`);
    return EXIT.usage;
  }
  if (parsed.values.help) {
    process.stdout.write(helpOf(command));
    return EXIT.ok;
  }
  return command.main(parsed.values, parsed.positionals);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const failure = failureOf(e);
    process.stderr.write(`benchgate: ${failure.message}\n`);
    process.exitCode = failure.code;
  },
);
