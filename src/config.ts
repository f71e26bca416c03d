/**
 * One configuration schema for `benchgate.config.json`, CLI flags and action inputs. Raw values
 * become a typed `Config` here, once; an error names the key and the value it got. Nothing further
 * in sees raw input.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Isolation } from './bench/rounds.js';
import type { Profile } from './bench/suite-types.js';

/** A configuration or usage mistake: the CLI prints the message and exits 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The validated settings every command reads. */
export interface Config {
  /** Glob over benchmark names (`kernel/implementation/fixture`); null runs everything. */
  filter: string | null;
  /** Rounds of fresh worker processes. */
  rounds: number;
  /** Seconds of measuring to spread over rounds and benchmarks; null = the command's default ({@link timeBudgetOf}). */
  timeBudget: number | null;
  /** SQLite history file. */
  db: string;
  profile: Profile;
  /** Print the JSON report on stdout instead of the table. */
  json: boolean;
  /** Module exporting the suite (default: benchgate's own kernels). */
  suite: string | null;
  /** Project name stored with runs (default: package.json name or folder name). */
  project: string | null;
  reportMarkdown: string;
  reportJson: string;
  /** Smallest change in percent that counts as real; null = derived from measured noise. */
  threshold: number | null;
  /** Family-wise false-alarm rate per run. */
  alpha: number;
  minRounds: number;
  maxRounds: number;
  base: string | null;
  head: string | null;
  /** `compare`: both revisions in one process, alternating (`paired`), or one process per side. */
  isolation: Isolation;
  /** Shell command that builds a revision in its checkout (compare); null = npm ci when a lockfile exists. */
  buildCommand: string | null;
  /** `serve`: TCP port (0 picks a free one). */
  port: number;
  /** `serve`: address to bind (loopback unless told otherwise). */
  host: string;
  /** `serve`: when set, reads need this bearer token too. */
  readToken: string | null;
  /** Base URL of the repository for commit links, e.g. https://github.com/o/r. */
  repositoryUrl: string | null;
  /** The branch whose history runs make the series and their change points. */
  mainBranch: string;
  /** Most recent points of a series that each change-point recomputation analyses. */
  changePointWindow: number;
  /** `export`: folder to write the static dashboard to. */
  out: string | null;
}

type Parser = (raw: unknown) => unknown;

interface KeySpec {
  field: keyof Config;
  describe: string;
  /** 'boolean' keys are CLI switches; every other key takes a value. */
  flag: 'string' | 'boolean';
  parse: Parser;
}

const show = (raw: unknown): string => (typeof raw === 'string' ? `'${raw}'` : JSON.stringify(raw) ?? String(raw));

function fail(key: string, expected: string, raw: unknown): never {
  throw new ConfigError(`'${key}' must be ${expected} but got ${show(raw)}`);
}

function integer(key: string, min: number, max: number): Parser {
  return (raw) => {
    const n = typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
      fail(key, `an integer from ${min} to ${max}`, raw);
    }
    return n;
  };
}

function positiveNumber(key: string, max: number): Parser {
  return (raw) => {
    const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0 || n > max) {
      fail(key, `a number of seconds above 0 and at most ${max}`, raw);
    }
    return n;
  };
}

function text(key: string): Parser {
  return (raw) => {
    if (typeof raw !== 'string' || raw.trim() === '') fail(key, 'a non-empty string', raw);
    return raw;
  };
}

function choice<T extends string>(key: string, values: readonly T[]): Parser {
  return (raw) => {
    if (typeof raw !== 'string' || !values.includes(raw as T)) fail(key, `one of ${values.join(', ')}`, raw);
    return raw;
  };
}

function bool(key: string): Parser {
  return (raw) => {
    if (raw === true || raw === 'true') return true;
    if (raw === false || raw === 'false') return false;
    return fail(key, 'true or false', raw);
  };
}

/** Accepts `2`, `2%`, `'2.5%'`; the value is in percent. */
function percentage(key: string): Parser {
  return (raw) => {
    const m = typeof raw === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(raw) : null;
    const n = typeof raw === 'number' ? raw : m ? Number(m[1]) : NaN;
    if (!Number.isFinite(n) || n <= 0 || n >= 100) fail(key, 'a percentage like 2%', raw);
    return n;
  };
}

function probability(key: string): Parser {
  return (raw) => {
    const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof n !== 'number' || !(n > 0 && n < 0.5)) fail(key, 'a probability between 0 and 0.5 like 0.01', raw);
    return n;
  };
}

function httpUrl(key: string): Parser {
  return (raw) => {
    let url: URL | null = null;
    try {
      url = typeof raw === 'string' ? new URL(raw) : null;
    } catch {
      url = null;
    }
    if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.username !== '' || url.password !== '') {
      fail(key, 'an http(s) URL like https://github.com/owner/repo', raw);
    }
    return url.href.replace(/\/+$/, '');
  };
}

/** Every key, as written in the config file and as a `--flag`. */
export const configKeys: Record<string, KeySpec> = {
  filter: { field: 'filter', flag: 'string', describe: 'glob over benchmark names, e.g. "matmul/*"', parse: text('filter') },
  rounds: { field: 'rounds', flag: 'string', describe: 'rounds of fresh worker processes', parse: integer('rounds', 1, 1000) },
  'time-budget': {
    field: 'timeBudget',
    flag: 'string',
    describe: 'seconds of measuring to spread over rounds and benchmarks',
    parse: positiveNumber('time-budget', 86_400),
  },
  db: { field: 'db', flag: 'string', describe: 'SQLite history file', parse: text('db') },
  profile: { field: 'profile', flag: 'string', describe: 'quick (pull requests) or full (large fixtures)', parse: choice('profile', ['quick', 'full']) },
  json: { field: 'json', flag: 'boolean', describe: 'print the JSON report on stdout', parse: bool('json') },
  suite: { field: 'suite', flag: 'string', describe: 'module exporting the suite (default: the built-in kernels)', parse: text('suite') },
  project: { field: 'project', flag: 'string', describe: 'project name stored with runs', parse: text('project') },
  'report-markdown': { field: 'reportMarkdown', flag: 'string', describe: 'where to write the Markdown report', parse: text('report-markdown') },
  'report-json': { field: 'reportJson', flag: 'string', describe: 'where to write the JSON report', parse: text('report-json') },
  threshold: { field: 'threshold', flag: 'string', describe: 'smallest change that matters, e.g. 2%', parse: percentage('threshold') },
  alpha: { field: 'alpha', flag: 'string', describe: 'family-wise false-alarm rate per run', parse: probability('alpha') },
  'min-rounds': { field: 'minRounds', flag: 'string', describe: 'rounds before deciding', parse: integer('min-rounds', 2, 1000) },
  'max-rounds': { field: 'maxRounds', flag: 'string', describe: 'rounds at most, within the time budget', parse: integer('max-rounds', 2, 1000) },
  base: { field: 'base', flag: 'string', describe: 'base revision (git ref)', parse: text('base') },
  head: { field: 'head', flag: 'string', describe: 'head revision (git ref; default the working tree)', parse: text('head') },
  isolation: {
    field: 'isolation',
    flag: 'string',
    describe: 'compare: paired (both revisions in one process, alternating) or process (one per side)',
    parse: choice('isolation', ['paired', 'process']),
  },
  'build-command': {
    field: 'buildCommand',
    flag: 'string',
    describe: 'shell command that builds a revision in its checkout (default: npm ci when package-lock.json exists)',
    parse: text('build-command'),
  },
  port: { field: 'port', flag: 'string', describe: 'TCP port to listen on (0 picks a free one)', parse: integer('port', 0, 65_535) },
  host: { field: 'host', flag: 'string', describe: 'address to bind (default 127.0.0.1: this machine only)', parse: text('host') },
  'read-token': { field: 'readToken', flag: 'string', describe: 'require this bearer token for reads too', parse: text('read-token') },
  'repository-url': { field: 'repositoryUrl', flag: 'string', describe: 'repository URL for commit links, e.g. https://github.com/o/r', parse: httpUrl('repository-url') },
  'main-branch': { field: 'mainBranch', flag: 'string', describe: 'branch whose history runs make the series (default main)', parse: text('main-branch') },
  'change-point-window': {
    field: 'changePointWindow',
    flag: 'string',
    describe: 'most recent points each change-point search analyses',
    parse: integer('change-point-window', 20, 100_000),
  },
  out: { field: 'out', flag: 'string', describe: 'folder to write the static dashboard to', parse: text('out') },
};

/** Defaults, some of which depend on the profile. */
function defaults(profile: Profile): Config {
  return {
    filter: null,
    rounds: profile === 'quick' ? 5 : 7,
    timeBudget: null,
    db: 'baselines/history.db',
    profile,
    json: false,
    suite: null,
    project: null,
    reportMarkdown: 'benchgate-report.md',
    reportJson: 'benchgate-report.json',
    threshold: null,
    alpha: 0.01,
    minRounds: 6,
    maxRounds: 40,
    base: null,
    head: null,
    isolation: 'paired',
    buildCommand: null,
    port: 8080,
    host: '127.0.0.1',
    readToken: null,
    repositoryUrl: null,
    mainBranch: 'main',
    changePointWindow: 500,
    out: null,
  };
}

/**
 * Default seconds of measuring. `run`: five rounds of the suite. `compare`: a comparison of a
 * 40-benchmark quick suite within 5 minutes on a 2-core machine, 70% of it for the first look.
 */
export const DEFAULT_TIME_BUDGET: Record<'run' | 'compare', Record<Profile, number>> = {
  run: { quick: 60, full: 600 },
  compare: { quick: 300, full: 1800 },
};

/** The time budget in force: the configured one, else the command's default for the profile. */
export function timeBudgetOf(config: Pick<Config, 'timeBudget' | 'profile'>, command: 'run' | 'compare'): number {
  return config.timeBudget ?? DEFAULT_TIME_BUDGET[command][config.profile];
}

/** The default config file looked for in the working directory. */
export const DEFAULT_CONFIG_FILE = 'benchgate.config.json';

function parseEntries(entries: [string, unknown][], where: string): Partial<Config> {
  const out: Partial<Record<keyof Config, unknown>> = {};
  for (const [key, raw] of entries) {
    const spec = configKeys[key];
    if (!spec) {
      throw new ConfigError(`unknown key '${key}'${where} (known keys: ${Object.keys(configKeys).join(', ')})`);
    }
    out[spec.field] = spec.parse(raw);
  }
  return out as Partial<Config>;
}

/** Reads and validates a config file; every key is checked before anything runs. */
export function readConfigFile(path: string): Partial<Config> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigError(`cannot read config file ${path}: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`config file ${path} must hold a JSON object of keys, got ${show(parsed)}`);
  }
  return parseEntries(Object.entries(parsed), ` in ${path}`);
}

/**
 * Builds the config from a file (explicit `config`, else `benchgate.config.json` when present)
 * and raw flag values, flags winning. Relative paths resolve against `cwd`.
 */
export function resolveConfig(flags: Record<string, unknown>, cwd: string = process.cwd()): Config {
  const { config: configPath, ...rest } = flags;
  const filePath =
    configPath !== undefined ? resolve(cwd, String(configPath)) : existsSync(resolve(cwd, DEFAULT_CONFIG_FILE)) ? resolve(cwd, DEFAULT_CONFIG_FILE) : null;
  if (configPath !== undefined && !existsSync(resolve(cwd, String(configPath)))) {
    throw new ConfigError(`'config' file not found: ${show(configPath)}`);
  }
  const fromFile = filePath ? readConfigFile(filePath) : {};
  const fromFlags = parseEntries(
    Object.entries(rest).filter(([, v]) => v !== undefined),
    '',
  );
  const profile = fromFlags.profile ?? fromFile.profile ?? 'quick';
  const config: Config = { ...defaults(profile), ...fromFile, ...fromFlags };
  if (config.minRounds > config.maxRounds) {
    throw new ConfigError(`'min-rounds' (${config.minRounds}) must not exceed 'max-rounds' (${config.maxRounds})`);
  }
  for (const key of ['db', 'reportMarkdown', 'reportJson'] as const) config[key] = resolve(cwd, config[key]);
  if (config.suite !== null) config.suite = resolve(cwd, config.suite);
  if (config.out !== null) config.out = resolve(cwd, config.out);
  return config;
}

// ---------------------------------------------------------------------------------------------
// The GitHub Action's inputs: the shared keys above plus the keys only the action has. Every
// input is validated here, once; an error names the input and the value it got.

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
  config: Config;
}

/** A git branch name we will push to: plain characters, no `..`, not an option. */
function branchName(key: string): Parser {
  return (raw) => {
    if (typeof raw !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/.test(raw) || raw.includes('..') || raw.endsWith('/') || raw.endsWith('.lock')) {
      fail(key, 'a branch name of letters, digits, ., _, / and - (like benchgate-data)', raw);
    }
    return raw;
  };
}

/** Secrets are checked for shape only; the message never repeats the value. */
function secret(key: string): Parser {
  return (raw) => {
    if (typeof raw !== 'string' || raw.trim() === '' || /\s/.test(raw.trim())) throw new ConfigError(`'${key}' must be a token without spaces (value not shown)`);
    return raw.trim();
  };
}

type ActionField = Exclude<keyof ActionSettings, 'config' | 'dbPathGiven'>;

/** The keys only the action has, as written under `with:` in a workflow. */
export const actionKeys: Record<string, { field: ActionField; describe: string; parse: Parser }> = {
  mode: { field: 'mode', describe: 'pr, history, publish, or auto (from the event)', parse: choice('mode', ['pr', 'history', 'publish', 'auto']) },
  'github-token': { field: 'githubToken', describe: 'token for comments, check runs and the data branch', parse: secret('github-token') },
  comment: { field: 'comment', describe: 'always, on-change or never', parse: choice('comment', ['always', 'on-change', 'never']) },
  'check-run': { field: 'checkRun', describe: 'create the benchgate check run (true or false)', parse: bool('check-run') },
  storage: { field: 'storage', describe: 'branch, service or file', parse: choice('storage', ['branch', 'service', 'file']) },
  'data-branch': { field: 'dataBranch', describe: 'branch holding the run files', parse: branchName('data-branch') },
  'keep-runs': { field: 'keepRuns', describe: 'run files kept per testbed on the data branch', parse: integer('keep-runs', 10, 100_000) },
  'service-url': { field: 'serviceUrl', describe: 'URL of a benchgate serve instance', parse: httpUrl('service-url') },
  'service-token': { field: 'serviceToken', describe: 'bearer token for service-url', parse: secret('service-token') },
  'working-directory': { field: 'workingDirectory', describe: 'folder of the project to measure', parse: text('working-directory') },
  'fail-on-regression': { field: 'failOnRegression', describe: 'fail the step when anything regressed', parse: bool('fail-on-regression') },
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
};

/** Every input name the action reads. */
export const ACTION_INPUTS: readonly string[] = [...Object.keys(actionKeys), ...Object.keys(actionSharedInputs)];

/**
 * Validates the action's raw inputs (empty = not given, as GitHub passes unset inputs) into
 * settings and the pipeline config. `base` is the workspace that `working-directory` is relative to.
 */
export function resolveActionSettings(inputs: Record<string, string | undefined>, base: string = process.cwd()): ActionSettings {
  const given = Object.entries(inputs).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].trim() !== '');
  for (const [name] of given) {
    if (!ACTION_INPUTS.includes(name)) throw new ConfigError(`unknown input '${name}' (known inputs: ${ACTION_INPUTS.join(', ')})`);
  }
  const settings: Omit<ActionSettings, 'config' | 'dbPathGiven'> = {
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
  if (!existsSync(workingDirectory)) throw new ConfigError(`'working-directory' must be an existing folder but got '${settings.workingDirectory}'`);
  if (settings.storage === 'service' && (settings.serviceUrl === null || settings.serviceToken === null)) {
    throw new ConfigError(`'storage' is 'service', which needs both 'service-url' and 'service-token'`);
  }
  let config: Config;
  try {
    config = resolveConfig(flags, workingDirectory);
  } catch (e) {
    // resolveConfig names the CLI key; the action's user wrote the input name.
    if (e instanceof ConfigError) throw new ConfigError(e.message.replace(/^'db'/, "'db-path'").replace(/^'report-json'/, "'report-path'"));
    throw e;
  }
  return { ...settings, workingDirectory, dbPathGiven: flags.db !== undefined, config };
}
