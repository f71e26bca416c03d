/**
 * The GitHub Action's inputs: the shared config keys plus the keys only the action has. Every
 * input is validated here, once; an error names the input and the value it got.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { bool, branchName, choice, ConfigError, httpUrl, integer, secret, text, type Parser } from './parse.js';
import { resolveConfig, type Config } from './schema.js';

/** Which job the action does: gate a pull request, record main's history, or post a report. */
export type ActionMode = 'pr' | 'history' | 'publish';

/** Where history runs are kept between jobs. */
export type StorageKind = 'branch' | 'service' | 'file';

/** The action's validated settings; `config` is what the pipeline (the same as the CLI's) reads. */
export interface ActionSettings {
  /** `auto` is resolved from the event later (pull_request → pr, push → history, workflow_run → publish). */
  mode: ActionMode | 'auto';
  githubToken: string | null;
  comment: 'always' | 'on-change' | 'never';
  checkRun: boolean;
  storage: StorageKind;
  dataBranch: string;
  /** Run files kept per testbed on the data branch; older ones are pruned. */
  keepRuns: number;
  serviceUrl: string | null;
  serviceToken: string | null;
  workingDirectory: string;
  failOnRegression: boolean;
  /** True when `db-path` was given (otherwise the action picks a temporary file for branch/service storage). */
  dbPathGiven: boolean;
  /** The shared inputs as config flags, to resolve the config again (pr mode: with the base's gating keys). */
  configFlags: Record<string, unknown>;
  config: Config;
}

type ActionField = Exclude<keyof ActionSettings, 'config' | 'dbPathGiven' | 'configFlags'>;

/** The keys only the action has, as written under `with:` in a workflow. */
export const actionKeys: Record<string, { field: ActionField; describe: string; parse: Parser }> = {
  mode: {
    field: 'mode',
    describe: 'pr, history, publish, or auto (from the event)',
    parse: choice('mode', ['pr', 'history', 'publish', 'auto']),
  },
  'github-token': {
    field: 'githubToken',
    describe: 'token for comments, check runs and the data branch',
    parse: secret('github-token'),
  },
  comment: {
    field: 'comment',
    describe: 'always, on-change or never',
    parse: choice('comment', ['always', 'on-change', 'never']),
  },
  'check-run': {
    field: 'checkRun',
    describe: 'create the benchgate check run (true or false)',
    parse: bool('check-run'),
  },
  storage: {
    field: 'storage',
    describe: 'branch, service or file',
    parse: choice('storage', ['branch', 'service', 'file']),
  },
  'data-branch': { field: 'dataBranch', describe: 'branch holding the run files', parse: branchName('data-branch') },
  'keep-runs': {
    field: 'keepRuns',
    describe: 'run files kept per testbed on the data branch',
    parse: integer('keep-runs', 10, 100_000),
  },
  'service-url': { field: 'serviceUrl', describe: 'URL of a benchgate serve instance', parse: httpUrl('service-url') },
  'service-token': { field: 'serviceToken', describe: 'bearer token for service-url', parse: secret('service-token') },
  'working-directory': {
    field: 'workingDirectory',
    describe: 'folder of the project to measure',
    parse: text('working-directory'),
  },
  'fail-on-regression': {
    field: 'failOnRegression',
    describe: 'fail the step when anything regressed',
    parse: bool('fail-on-regression'),
  },
};

/** Shared keys the action accepts, by input name → config key (`db-path` is the CLI's `db`). */
export const actionSharedInputs: Record<string, string> = {
  threshold: 'threshold',
  alpha: 'alpha',
  'time-budget': 'time-budget',
  filter: 'filter',
  'build-command': 'build-command',
  isolation: 'isolation',
  'db-path': 'db',
  'report-path': 'report-json',
  shard: 'shard',
  profile: 'profile',
};

/** Every input name the action reads. */
export const ACTION_INPUTS: readonly string[] = [...Object.keys(actionKeys), ...Object.keys(actionSharedInputs)];

/**
 * Validates the action's raw inputs (empty = not given, as GitHub passes unset inputs) into
 * settings and the pipeline config. `base` is the workspace that `working-directory` is relative to.
 */
export function resolveActionSettings(
  inputs: Record<string, string | undefined>,
  base: string = process.cwd(),
): ActionSettings {
  const given = Object.entries(inputs).filter(
    (e): e is [string, string] => typeof e[1] === 'string' && e[1].trim() !== '',
  );
  for (const [name] of given) {
    if (!ACTION_INPUTS.includes(name))
      throw new ConfigError(`unknown input '${name}' (known inputs: ${ACTION_INPUTS.join(', ')})`);
  }
  const settings: Omit<ActionSettings, 'config' | 'dbPathGiven' | 'configFlags'> = {
    mode: 'auto',
    githubToken: null,
    comment: 'always',
    checkRun: true,
    storage: 'branch',
    dataBranch: 'benchgate-data',
    keepRuns: 500,
    serviceUrl: null,
    serviceToken: null,
    workingDirectory: '.',
    failOnRegression: true,
  };
  const flags: Record<string, unknown> = {};
  for (const [name, raw] of given) {
    const own = actionKeys[name];
    if (own) (settings as Record<string, unknown>)[own.field] = own.parse(name === 'filter' ? raw : raw.trim());
    else flags[actionSharedInputs[name] as string] = raw.trim();
  }
  const workingDirectory = resolve(base, settings.workingDirectory);
  if (!existsSync(workingDirectory))
    throw new ConfigError(`'working-directory' must be an existing folder but got '${settings.workingDirectory}'`);
  if (settings.storage === 'service' && (settings.serviceUrl === null || settings.serviceToken === null)) {
    throw new ConfigError(`'storage' is 'service', which needs both 'service-url' and 'service-token'`);
  }
  const config = resolveActionConfig(flags, workingDirectory);
  return { ...settings, workingDirectory, dbPathGiven: flags.db !== undefined, configFlags: flags, config };
}

/** The pipeline config of the action's inputs (`resolveConfig`), its errors naming the input rather than the CLI key. */
export function resolveActionConfig(
  flags: Record<string, unknown>,
  workingDirectory: string,
  gate?: Partial<Config>,
): Config {
  try {
    return resolveConfig(flags, workingDirectory, gate);
  } catch (e) {
    if (e instanceof ConfigError)
      throw new ConfigError(e.message.replace(/^'db'/, "'db-path'").replace(/^'report-json'/, "'report-path'"), e.key);
    throw e;
  }
}
