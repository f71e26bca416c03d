/**
 * One configuration schema for `benchgate.config.json`, CLI flags and action inputs. Raw values
 * become a typed `Config` here, once; an error names the key and the value it got. Nothing further
 * in sees raw input.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Isolation, Profile } from '../model.js';
import { parseHarnesses, type HarnessEntry } from './harnesses.js';
import { DEFAULT_MEASURE_POLICY, parseBenchmarkRules, parseMeasures, type MeasurePolicy } from './measures.js';
import {
  bool,
  choice,
  ConfigError,
  fail,
  hostNames,
  httpUrl,
  integer,
  percentage,
  positiveNumber,
  probability,
  secret,
  show,
  text,
  type Parser,
} from './parse.js';

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
  /** `serve`: when set, reads need this bearer token too (`serve` also looks in `readTokenFile` and the environment: readTokenOf). */
  readToken: string | null;
  /** `serve`: file holding the read token. */
  readTokenFile: string | null;
  /** `serve`: host names answered besides loopback (Host header); null = loopback names only. */
  allowedHosts: string[] | null;
  /** Base URL of the repository for commit links, e.g. https://github.com/o/r. */
  repositoryUrl: string | null;
  /** The branch whose history runs make the series and their change points. */
  mainBranch: string;
  /** Most recent points of a series that each change-point recomputation analyses. */
  changePointWindow: number;
  /** `export`: folder to write the static dashboard to. */
  out: string | null;
  /** Which measures gate and their thresholds (`measures` in the config file). */
  measures: MeasurePolicy['measures'];
  /** Rules per benchmark glob: thresholds, gating, ignore (`benchmarks` in the config file). */
  benchmarkRules: MeasurePolicy['benchmarks'];
  /** The project's own benchmarks, run by their harnesses (`harnesses`); empty = the suite module. */
  harnesses: HarnessEntry[];
  /** `compare`: profile each regression's base and head after the verdicts (`profile-regressions`). */
  profileRegressions: boolean;
  /** `compare`: seconds all those profiles may take together (`profile-budget`). */
  profileBudget: number;
  /** `run`: CPU-profile every measured benchmark within the budget and keep its self times in the stored run (`keep-profiles`). */
  keepProfiles: boolean;
  /** `compare`/`run`: measure only the k-th of n parts of the suite (`--shard k/n`); null = all of it. */
  shard: ShardSpec | null;
}

/** One CI job's part of a sharded suite: shard `k` (1-based) of `n`. */
export interface ShardSpec {
  k: number;
  n: number;
}

/** Most shards a suite may be split into (the merged report lists each shard’s run in its settings). */
export const MAX_SHARDS = 64;

/** Parses `K/N` (shard K of N, 1 ≤ K ≤ N ≤ {@link MAX_SHARDS}). */
export function parseShard(raw: unknown): ShardSpec {
  const m = typeof raw === 'string' ? /^\s*(\d{1,3})\s*\/\s*(\d{1,3})\s*$/.exec(raw) : null;
  const k = Number(m?.[1]);
  const n = Number(m?.[2]);
  if (!m || !(n >= 1 && n <= MAX_SHARDS && k >= 1 && k <= n))
    fail('shard', `K/N, shard K of N with 1 ≤ K ≤ N ≤ ${MAX_SHARDS}, like 2/4`, raw);
  return { k, n };
}

/** How one key is described, parsed and offered as a flag. */
export interface KeySpec {
  field: keyof Config;
  describe: string;
  /** 'boolean' keys are CLI switches, 'file' keys are written only in the config file; the rest take a value. */
  flag: 'string' | 'boolean' | 'file';
  parse: Parser;
}

/** Every key, as written in the config file and as a `--flag`. */
export const configKeys: Record<string, KeySpec> = {
  measures: {
    field: 'measures',
    flag: 'file',
    describe: 'which measures gate, and their thresholds: {"peak-memory": {"gate": true, "threshold": "5%"}}',
    parse: parseMeasures,
  },
  benchmarks: {
    field: 'benchmarkRules',
    flag: 'file',
    describe: 'rules per benchmark glob: {"select/*": {"threshold": "5%"}, "x/*": {"ignore": true}}',
    parse: parseBenchmarkRules,
  },
  harnesses: {
    field: 'harnesses',
    flag: 'file',
    describe: 'the project\'s own benchmarks: [{"harness": "go", "command": "go test -run ^$ -bench . ./..."}]',
    parse: parseHarnesses,
  },
  filter: {
    field: 'filter',
    flag: 'string',
    describe: 'glob over benchmark names, e.g. "matmul/*"',
    parse: text('filter'),
  },
  rounds: {
    field: 'rounds',
    flag: 'string',
    describe: 'rounds of fresh worker processes',
    parse: integer('rounds', 1, 1000),
  },
  'time-budget': {
    field: 'timeBudget',
    flag: 'string',
    describe: 'seconds of measuring to spread over rounds and benchmarks',
    parse: positiveNumber('time-budget', 86_400),
  },
  db: { field: 'db', flag: 'string', describe: 'SQLite history file', parse: text('db') },
  profile: {
    field: 'profile',
    flag: 'string',
    describe: 'quick (pull requests) or full (large fixtures)',
    parse: choice('profile', ['quick', 'full']),
  },
  json: { field: 'json', flag: 'boolean', describe: 'print the JSON report on stdout', parse: bool('json') },
  suite: {
    field: 'suite',
    flag: 'string',
    describe: 'module exporting the suite (default: the built-in kernels)',
    parse: text('suite'),
  },
  project: { field: 'project', flag: 'string', describe: 'project name stored with runs', parse: text('project') },
  'report-markdown': {
    field: 'reportMarkdown',
    flag: 'string',
    describe: 'where to write the Markdown report',
    parse: text('report-markdown'),
  },
  'report-json': {
    field: 'reportJson',
    flag: 'string',
    describe: 'where to write the JSON report',
    parse: text('report-json'),
  },
  threshold: {
    field: 'threshold',
    flag: 'string',
    describe: 'smallest change that matters, e.g. 2%',
    parse: percentage('threshold'),
  },
  alpha: {
    field: 'alpha',
    flag: 'string',
    describe: 'family-wise false-alarm rate per run',
    parse: probability('alpha'),
  },
  'min-rounds': {
    field: 'minRounds',
    flag: 'string',
    describe: 'rounds before deciding',
    parse: integer('min-rounds', 2, 1000),
  },
  'max-rounds': {
    field: 'maxRounds',
    flag: 'string',
    describe: 'rounds at most, within the time budget',
    parse: integer('max-rounds', 2, 1000),
  },
  base: { field: 'base', flag: 'string', describe: 'base revision (git ref)', parse: text('base') },
  head: {
    field: 'head',
    flag: 'string',
    describe: 'head revision (git ref; default the working tree)',
    parse: text('head'),
  },
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
  port: {
    field: 'port',
    flag: 'string',
    describe: 'TCP port to listen on (0 picks a free one)',
    parse: integer('port', 0, 65_535),
  },
  host: {
    field: 'host',
    flag: 'string',
    describe: 'address to bind (default 127.0.0.1: this machine only)',
    parse: text('host'),
  },
  'read-token': {
    field: 'readToken',
    flag: 'string',
    describe: 'require this bearer token for reads too (shows in ps: prefer the file or BENCHGATE_READ_TOKEN)',
    parse: secret('read-token'),
  },
  'read-token-file': {
    field: 'readTokenFile',
    flag: 'string',
    describe: 'read the read token from this file',
    parse: text('read-token-file'),
  },
  'allowed-hosts': {
    field: 'allowedHosts',
    flag: 'string',
    describe: 'host names clients use besides loopback, comma-separated (checked against the Host header)',
    parse: hostNames('allowed-hosts'),
  },
  'repository-url': {
    field: 'repositoryUrl',
    flag: 'string',
    describe: 'repository URL for commit links, e.g. https://github.com/o/r',
    parse: httpUrl('repository-url'),
  },
  'main-branch': {
    field: 'mainBranch',
    flag: 'string',
    describe: 'branch whose history runs make the series (default main)',
    parse: text('main-branch'),
  },
  'change-point-window': {
    field: 'changePointWindow',
    flag: 'string',
    describe: 'most recent points each change-point search analyses',
    parse: integer('change-point-window', 20, 100_000),
  },
  out: { field: 'out', flag: 'string', describe: 'folder to write the static dashboard to', parse: text('out') },
  'profile-regressions': {
    field: 'profileRegressions',
    flag: 'boolean',
    describe:
      'compare and run: profile each regressed benchmark after the verdicts (compare: both sides; run: the head) (default true)',
    parse: bool('profile-regressions'),
  },
  'profile-budget': {
    field: 'profileBudget',
    flag: 'string',
    describe: 'compare and run: seconds all the profiles may take together (default 60)',
    parse: positiveNumber('profile-budget', 3600),
  },
  'keep-profiles': {
    field: 'keepProfiles',
    flag: 'boolean',
    describe:
      "run: CPU-profile every benchmark (within profile-budget) and keep each function's self time in the stored run, for later runs' regressions to be compared against (default false)",
    parse: bool('keep-profiles'),
  },
  shard: {
    field: 'shard',
    flag: 'string',
    describe: 'measure only shard K of N of the suite, e.g. 2/4 (one CI job each; benchgate merge joins them)',
    parse: parseShard,
  },
};

/** Default seconds of profiling the regressions of one comparison (`profile-budget`). */
export const DEFAULT_PROFILE_BUDGET = 60;

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
    readTokenFile: null,
    allowedHosts: null,
    repositoryUrl: null,
    mainBranch: 'main',
    changePointWindow: 500,
    out: null,
    measures: structuredClone(DEFAULT_MEASURE_POLICY.measures),
    benchmarkRules: [],
    harnesses: [],
    profileRegressions: true,
    profileBudget: DEFAULT_PROFILE_BUDGET,
    keepProfiles: false,
    shard: null,
  };
}

/**
 * Default seconds of measuring. `run`: five rounds of the suite. `compare`: a comparison of a
 * 40-benchmark quick suite within 5 minutes on a 2-core machine, half of it for the first look
 * (FIRST_LOOK_SHARE in src/measure/round-plan.ts).
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

/**
 * The keys that decide a verdict rather than how to build or where to write: in a pull request
 * they are read from the base revision, so the change under test cannot loosen its own gate.
 */
export const GATING_KEYS = [
  'threshold',
  'alpha',
  'filter',
  'time-budget',
  'min-rounds',
  'max-rounds',
  'isolation',
  'profile',
  'measures',
  'benchmarks',
  'harnesses',
] as const;

/** Validates a config file's text; `where` names the file in errors. */
export function parseConfigText(text: string, where: string): Partial<Config> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`cannot read config file ${where}: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`config file ${where} must hold a JSON object of keys, got ${show(parsed)}`);
  }
  // Each CI job measures its own shard: the part is a flag of the job, never a setting of the project.
  if (Object.hasOwn(parsed, 'shard'))
    throw new ConfigError(`'shard' in ${where}: set it per CI job with --shard K/N, not in the config file`, 'shard');
  return parseEntries(Object.entries(parsed), ` in ${where}`);
}

/** Reads and validates a config file; every key is checked before anything runs. */
export function readConfigFile(path: string): Partial<Config> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read config file ${path}: ${(e as Error).message}`);
  }
  return parseConfigText(text, path);
}

/** `file` with its gating keys taken from `gate` instead (absent there means the default). */
export function withGatingFrom(file: Partial<Config>, gate: Partial<Config>): Partial<Config> {
  const out: Partial<Record<keyof Config, unknown>> = { ...file };
  for (const key of GATING_KEYS) {
    const field = (configKeys[key] as KeySpec).field;
    if (field in gate) out[field] = gate[field];
    else delete out[field];
  }
  return out as Partial<Config>;
}

/**
 * Builds the config from a file (explicit `config`, else `benchgate.config.json` when present)
 * and raw flag values, flags winning. Relative paths resolve against `cwd`. With `gate`, the
 * file's gating keys are replaced by the ones given there (the base revision's file).
 */
export function resolveConfig(
  flags: Record<string, unknown>,
  cwd: string = process.cwd(),
  gate?: Partial<Config>,
): Config {
  const { config: configPath, ...rest } = flags;
  const filePath =
    configPath !== undefined
      ? resolve(cwd, String(configPath))
      : existsSync(resolve(cwd, DEFAULT_CONFIG_FILE))
        ? resolve(cwd, DEFAULT_CONFIG_FILE)
        : null;
  if (configPath !== undefined && !existsSync(resolve(cwd, String(configPath)))) {
    throw new ConfigError(`'config' file not found: ${show(configPath)}`);
  }
  const file = filePath ? readConfigFile(filePath) : {};
  const fromFile = gate === undefined ? file : withGatingFrom(file, gate);
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
  if (config.readTokenFile !== null) config.readTokenFile = resolve(cwd, config.readTokenFile);
  return config;
}
