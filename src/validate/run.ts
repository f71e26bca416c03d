/**
 * Checks a run that arrives from outside (posted to the API, a fork's workflow artifact, a run
 * file on the data branch) against the RunReport model (src/model.ts) field by field before
 * anything stores, renders or posts it; the first problem is reported with the path of the field,
 * e.g. `benchmarks[2].measurements[0].side must be one of head, base but got "left"`. Runs of the
 * older schema `benchgate.run/v1` (a verdict on every result, read as `verdict.verdict`; presence
 * only when one-sided) are read and returned in today's shape.
 */
import {
  isMeasureName,
  MEASURES,
  RUN_SCHEMA,
  type BenchmarkProfile,
  type BenchmarkResult,
  type CountLine,
  type CountProfile,
  type KeptCounts,
  type KeptSelfTimes,
  MAX_KEPT_FUNCTIONS,
  MAX_TREE_DEPTH,
  MAX_TREE_FILE,
  MAX_TREE_NAME,
  MAX_TREE_NODES,
  type MeasureName,
  type MeasureResult,
  type ProcessMeasurement,
  type ProfileLine,
  type ProfileTree,
  type ProfileTreeNode,
  type Revision,
  type RunReport,
  type Testbed,
  type Verdict,
} from '../model.js';
import {
  array,
  boolean,
  freeForm,
  integer,
  invalid,
  isoDate,
  matching,
  nullableNumber,
  nullableString,
  number,
  object,
  oneOf,
  string,
  ValidationError,
} from './check.js';

const STATES = ['completed', 'errored', 'skipped'] as const;
/** Most measures one result may carry (a harness reports a handful; counters add some). */
const MAX_MEASURES = 64;

/** A measure other than time: a built-in name or a harness's own (`<unit>/op`, `counter:<name>`). */
function otherMeasure(v: unknown, p: string): MeasureName {
  if (typeof v !== 'string' || v === 'time' || !isMeasureName(v))
    throw new ValidationError(
      `${p} must name a measure other than time (${MEASURES.filter((m) => m !== 'time').join(', ')}, '<unit>/op', '<unit>/s' or 'counter:<name>') but got ${JSON.stringify(v)?.slice(0, 80)}`,
    );
  return v;
}
const VERDICTS = ['regressed', 'improved', 'unchanged', 'inconclusive'] as const;
const SCHEMAS = [RUN_SCHEMA, 'benchgate.run/v1'] as const;
type Schema = (typeof SCHEMAS)[number];

/** Deepest nesting of a free-form object (run settings, verdict details). */
export const FREE_FORM_DEPTH = 32;
/** Largest verdict details, in characters of JSON (the statistics' own are a few hundred). */
export const DETAILS_CHARS = 16_384;
/** Largest run settings, in characters of JSON. */
export const SETTINGS_CHARS = 65_536;

/** Run ids are used in URLs and file names: letters, digits, `.`, `_` and `-`. */
export const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Identifiers shown in reports and used in file names: letters, digits, `.`, `_` and `-`. */
const PLAIN = /^[A-Za-z0-9._-]*$/;
const PLAIN_WHAT = 'letters, digits, ".", "_" or "-"';
/** Free text shown in reports (a CPU or GPU name): no control characters. */
// eslint-disable-next-line no-control-regex
const PRINTABLE = /^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]*$/;

function plain(v: unknown, p: string, max: number, empty = false): string {
  return matching(string(v, p, max, empty), p, PLAIN, PLAIN_WHAT);
}

function printable(v: unknown, p: string, max: number): string {
  return matching(string(v, p, max, true), p, PRINTABLE, 'text without control characters or line breaks');
}

function testbed(v: unknown, p: string): Testbed {
  const o = object(v, p);
  return {
    key: plain(o.key, `${p}.key`, 200),
    cpuModel: printable(o.cpuModel, `${p}.cpuModel`, 200),
    cores: integer(o.cores, `${p}.cores`, 0, 1_000_000),
    simd: plain(o.simd, `${p}.simd`, 50, true),
    os: plain(o.os, `${p}.os`, 100, true),
    node: plain(o.node, `${p}.node`, 50, true),
    gpu: o.gpu === null ? null : printable(o.gpu, `${p}.gpu`, 200),
  };
}

function revision(v: unknown, p: string): Revision {
  const o = object(v, p);
  return {
    sha: o.sha === null ? null : matching(o.sha, `${p}.sha`, /^[0-9a-f]{4,64}$/i, 'a hexadecimal commit SHA or null'),
    ref: nullableString(o.ref, `${p}.ref`, 500),
    dirty: boolean(o.dirty, `${p}.dirty`),
    message: nullableString(o.message, `${p}.message`, 10_000),
    committedAt: o.committedAt === null ? null : isoDate(o.committedAt, `${p}.committedAt`),
  };
}

function measurement(v: unknown, p: string): ProcessMeasurement {
  const o = object(v, p);
  return {
    round: integer(o.round, `${p}.round`, 0, 1_000_000),
    side: oneOf(o.side, `${p}.side`, ['head', 'base'] as const),
    state: oneOf(o.state, `${p}.state`, STATES),
    reason: nullableString(o.reason, `${p}.reason`, 10_000),
    samples: integer(o.samples, `${p}.samples`, 0, Number.MAX_SAFE_INTEGER),
    medianSeconds: nullableNumber(o.medianSeconds, `${p}.medianSeconds`, 0),
    meanSeconds: nullableNumber(o.meanSeconds, `${p}.meanSeconds`, 0),
    minSeconds: nullableNumber(o.minSeconds, `${p}.minSeconds`, 0),
    maxSeconds: nullableNumber(o.maxSeconds, `${p}.maxSeconds`, 0),
    madSeconds: nullableNumber(o.madSeconds, `${p}.madSeconds`, 0),
    ...(o.values === undefined ? {} : { values: values(o.values, `${p}.values`) }),
    ...(o.blockLogRatio === undefined
      ? {}
      : { blockLogRatio: nullableNumber(o.blockLogRatio, `${p}.blockLogRatio`, -50, 50) }),
  };
}

/** A process's figures of the measures other than time: known names, non-negative numbers. */
function values(v: unknown, p: string): Partial<Record<MeasureName, number>> {
  const out: Partial<Record<MeasureName, number>> = {};
  for (const [k, x] of Object.entries(object(v, p))) {
    const name = otherMeasure(k, `${p} key`);
    out[name] = number(x, `${p}.${k}`, 0);
  }
  return out;
}

/** One measure other than time of a result (`measures[]`); verdicts only where compared. */
function measureResult(v: unknown, p: string, schema: Schema, compared: boolean): MeasureResult {
  const o = object(v, p);
  return {
    measure: otherMeasure(o.measure, `${p}.measure`),
    gated: boolean(o.gated, `${p}.gated`) && compared,
    median: nullableNumber(o.median, `${p}.median`, 0),
    baselineMedian: nullableNumber(o.baselineMedian, `${p}.baselineMedian`, 0),
    verdict: !compared || o.verdict === null ? null : verdict(o.verdict, `${p}.verdict`, schema),
  };
}

function verdict(v: unknown, p: string, schema: Schema): Verdict {
  const o = object(v, p);
  return {
    kind: schema === RUN_SCHEMA ? oneOf(o.kind, `${p}.kind`, VERDICTS) : oneOf(o.verdict, `${p}.verdict`, VERDICTS),
    method: string(o.method, `${p}.method`, 100),
    changePct: nullableNumber(o.changePct, `${p}.changePct`),
    ciLowPct: nullableNumber(o.ciLowPct, `${p}.ciLowPct`),
    ciHighPct: nullableNumber(o.ciHighPct, `${p}.ciHighPct`),
    pValue: nullableNumber(o.pValue, `${p}.pValue`, 0, 1),
    thresholdPct: nullableNumber(o.thresholdPct, `${p}.thresholdPct`),
    reason: string(o.reason, `${p}.reason`, 10_000, true),
    details: freeForm(o.details, `${p}.details`, FREE_FORM_DEPTH, DETAILS_CHARS),
  };
}

/** Most functions a differential profile lists (benchgate writes five). */
const MAX_PROFILE_LINES = 20;
/** A profile file's path: under `benchgate-profiles/`, plain parts (none all dots), `base` or `head`. */
const PROFILE_FILE =
  /^benchgate-profiles\/(?:(?!\.+\/)[A-Za-z0-9._-]{1,100}\/){1,9}(?:base|head)\.(?:cpuprofile|prof|pprof|perf\.data)$/;

function profileLine(v: unknown, p: string): ProfileLine {
  const o = object(v, p);
  return {
    function: printable(o.function, `${p}.function`, 500),
    file: printable(o.file, `${p}.file`, 2000),
    line: integer(o.line, `${p}.line`, 0, 100_000_000),
    baseMsPerCall: number(o.baseMsPerCall, `${p}.baseMsPerCall`, 0),
    headMsPerCall: number(o.headMsPerCall, `${p}.headMsPerCall`, 0),
    deltaMsPerCall: number(o.deltaMsPerCall, `${p}.deltaMsPerCall`),
  };
}

/**
 * A differential call tree: at most {@link MAX_TREE_NODES} nodes, {@link MAX_TREE_DEPTH} below
 * the root, short printable names, finite non-negative times. Paths name the node by its
 * children indices (`tree.root.children[0].children[2]`).
 */
function profileTree(v: unknown, p: string): ProfileTree {
  const o = object(v, p);
  let nodes = 0;
  const node = (x: unknown, at: string, depth: number): ProfileTreeNode => {
    if (++nodes > MAX_TREE_NODES) invalid(p, `a call tree of at most ${MAX_TREE_NODES} nodes`, `more at ${at}`);
    const n = object(x, at);
    const children = array(n.children, `${at}.children`, MAX_TREE_NODES);
    if (children.length > 0 && depth >= MAX_TREE_DEPTH)
      invalid(
        `${at}.children`,
        `empty: a call tree is at most ${MAX_TREE_DEPTH} nodes deep`,
        `${children.length} items`,
      );
    return {
      function: printable(n.function, `${at}.function`, MAX_TREE_NAME),
      file: printable(n.file, `${at}.file`, MAX_TREE_FILE),
      line: integer(n.line, `${at}.line`, 0, 100_000_000),
      baseTotalMsPerCall: number(n.baseTotalMsPerCall, `${at}.baseTotalMsPerCall`, 0),
      headTotalMsPerCall: number(n.headTotalMsPerCall, `${at}.headTotalMsPerCall`, 0),
      baseSelfMsPerCall: number(n.baseSelfMsPerCall, `${at}.baseSelfMsPerCall`, 0),
      headSelfMsPerCall: number(n.headSelfMsPerCall, `${at}.headSelfMsPerCall`, 0),
      children: children.map((c, i) => node(c, `${at}.children[${i}]`, depth + 1)),
    };
  };
  const root = node(o.root, `${p}.root`, 0);
  return { root, pruned: integer(o.pruned, `${p}.pruned`, 0, Number.MAX_SAFE_INTEGER) };
}

/** A regression's differential profile: its lines, and file paths that stay in the profiles folder. */
function benchmarkProfile(v: unknown, p: string): BenchmarkProfile {
  const o = object(v, p);
  const file = (x: unknown, at: string) =>
    matching(
      x,
      at,
      PROFILE_FILE,
      'a path benchgate-profiles/<benchmark>/base.cpuprofile or head.cpuprofile (or .prof, .pprof, .perf.data)',
    );
  const files = o.files === null ? null : object(o.files, `${p}.files`);
  return {
    top: array(o.top, `${p}.top`, MAX_PROFILE_LINES).map((l, i) => profileLine(l, `${p}.top[${i}]`)),
    files: files && { base: file(files.base, `${p}.files.base`), head: file(files.head, `${p}.files.head`) },
    seconds: number(o.seconds, `${p}.seconds`, 0, 86_400),
    ...(o.note === undefined ? {} : { note: printable(o.note, `${p}.note`, 2000) }),
    ...(o.profiler === undefined ? {} : { profiler: printable(o.profiler, `${p}.profiler`, 100) }),
    ...(o.tree === undefined ? {} : { tree: profileTree(o.tree, `${p}.tree`) }),
  };
}

/** A count profile's file: a heap profile, or a callgrind output of one process. */
const COUNT_PROFILE_FILE =
  /^benchgate-profiles\/(?:(?!\.+\/)[A-Za-z0-9._-]{1,100}\/){1,9}(?:(?:base|head)\.heapprofile|callgrind\.out\.(?:base|head)(?:\.\d{1,10})?)$/;

function countLine(v: unknown, p: string): CountLine {
  const o = object(v, p);
  return {
    function: printable(o.function, `${p}.function`, 500),
    file: printable(o.file, `${p}.file`, 2000),
    line: integer(o.line, `${p}.line`, 0, 100_000_000),
    basePerCall: number(o.basePerCall, `${p}.basePerCall`, 0),
    headPerCall: number(o.headPerCall, `${p}.headPerCall`, 0),
    deltaPerCall: number(o.deltaPerCall, `${p}.deltaPerCall`),
  };
}

/** A regression's differential of allocated bytes or instructions: as {@link benchmarkProfile}. */
function countProfile(v: unknown, p: string): CountProfile {
  const o = object(v, p);
  const file = (x: unknown, at: string) =>
    matching(
      x,
      at,
      COUNT_PROFILE_FILE,
      'a path benchgate-profiles/<benchmark>/<side>.heapprofile or callgrind.out.<side>',
    );
  const files = o.files === null ? null : object(o.files, `${p}.files`);
  return {
    unit: oneOf(o.unit, `${p}.unit`, ['bytes', 'instructions'] as const),
    profiler: printable(o.profiler, `${p}.profiler`, 100),
    top: array(o.top, `${p}.top`, MAX_PROFILE_LINES).map((l, i) => countLine(l, `${p}.top[${i}]`)),
    files: files && { base: file(files.base, `${p}.files.base`), head: file(files.head, `${p}.files.head`) },
    seconds: number(o.seconds, `${p}.seconds`, 0, 86_400),
    ...(o.note === undefined ? {} : { note: printable(o.note, `${p}.note`, 2000) }),
  };
}

/** A kept profile's functions: at most {@link MAX_KEPT_FUNCTIONS}, each its name, file, line and `value` per call. */
function keptFunctions<K extends string>(
  v: unknown,
  p: string,
  value: K,
): ({ function: string; file: string; line: number } & Record<K, number>)[] {
  return array(v, `${p}.functions`, MAX_KEPT_FUNCTIONS).map((f, i) => {
    const at = `${p}.functions[${i}]`;
    const fn = object(f, at);
    return {
      function: printable(fn.function, `${at}.function`, 500),
      file: printable(fn.file, `${at}.file`, 2000),
      line: integer(fn.line, `${at}.line`, 0, 100_000_000),
      [value]: number(fn[value], `${at}.${value}`, 0),
    } as { function: string; file: string; line: number } & Record<K, number>;
  });
}

/** A history run's kept profile: its calls and its functions' self time per call. */
function keptProfile(v: unknown, p: string): KeptSelfTimes {
  const o = object(v, p);
  return {
    calls: integer(o.calls, `${p}.calls`, 1, Number.MAX_SAFE_INTEGER),
    functions: keptFunctions(o.functions, p, 'msPerCall'),
  };
}

/** A history run's kept count profile: its unit, profiler, calls and its functions' count per call. */
function keptCountProfile(v: unknown, p: string): KeptCounts {
  const o = object(v, p);
  return {
    unit: oneOf(o.unit, `${p}.unit`, ['instructions', 'bytes'] as const),
    profiler: printable(o.profiler, `${p}.profiler`, 100),
    calls: integer(o.calls, `${p}.calls`, 1, Number.MAX_SAFE_INTEGER),
    functions: keptFunctions(o.functions, p, 'perCall'),
  };
}

function benchmark(v: unknown, p: string, schema: Schema): BenchmarkResult {
  const o = object(v, p);
  const work = object(o.work, `${p}.work`);
  const base = {
    name: string(o.name, `${p}.name`, 500),
    kernel: string(o.kernel, `${p}.kernel`, 200),
    implementation: string(o.implementation, `${p}.implementation`, 200),
    fixture: string(o.fixture, `${p}.fixture`, 200),
    fixtureChecksum: string(o.fixtureChecksum, `${p}.fixtureChecksum`, 200),
    work: {
      flops: nullableNumber(work.flops, `${p}.work.flops`, 0),
      bytes: nullableNumber(work.bytes, `${p}.work.bytes`, 0),
    },
    // v1 wrote presence only for one-sided benchmarks.
    presence:
      schema === RUN_SCHEMA || o.presence !== undefined
        ? oneOf(o.presence, `${p}.presence`, ['both', 'added', 'removed'] as const)
        : 'both',
    baselineMedianSeconds: nullableNumber(o.baselineMedianSeconds, `${p}.baselineMedianSeconds`, 0),
    measurements: array(o.measurements, `${p}.measurements`).map((m, i) => measurement(m, `${p}.measurements[${i}]`)),
    ...(o.gated === undefined || o.gated === true ? {} : { gated: boolean(o.gated, `${p}.gated`) }),
  };
  const state = oneOf(o.state, `${p}.state`, STATES);
  if (state !== 'completed') {
    // v1 gave failed benchmarks a placeholder verdict and could keep the head's figures: dropped.
    const reason =
      schema === RUN_SCHEMA
        ? string(o.reason, `${p}.reason`, 10_000, true)
        : (nullableString(o.reason, `${p}.reason`, 10_000) ?? state);
    if (schema === RUN_SCHEMA && o.verdict !== null)
      invalid(`${p}.verdict`, `null for a benchmark that is ${state}`, o.verdict);
    return {
      ...base,
      state,
      reason,
      medianSeconds: null,
      spreadPct: null,
      gflops: null,
      gbps: null,
      verdict: null,
      measures: [],
    };
  }
  const compared = base.presence === 'both';
  if (schema === RUN_SCHEMA && !compared && o.verdict !== null)
    invalid(`${p}.verdict`, `null for a benchmark that is ${base.presence}`, o.verdict);
  return {
    ...base,
    state,
    reason: nullableString(o.reason, `${p}.reason`, 10_000),
    medianSeconds: number(o.medianSeconds, `${p}.medianSeconds`, 0),
    spreadPct: nullableNumber(o.spreadPct, `${p}.spreadPct`),
    gflops: nullableNumber(o.gflops, `${p}.gflops`, 0),
    gbps: nullableNumber(o.gbps, `${p}.gbps`, 0),
    verdict: !compared || o.verdict === null ? null : verdict(o.verdict, `${p}.verdict`, schema),
    measures:
      o.measures === undefined
        ? []
        : array(o.measures, `${p}.measures`, MAX_MEASURES).map((m, i) =>
            measureResult(m, `${p}.measures[${i}]`, schema, compared),
          ),
    ...(o.profile === undefined ? {} : { profile: benchmarkProfile(o.profile, `${p}.profile`) }),
    ...(o.countProfile === undefined ? {} : { countProfile: countProfile(o.countProfile, `${p}.countProfile`) }),
    ...(o.keptProfile === undefined ? {} : { keptProfile: keptProfile(o.keptProfile, `${p}.keptProfile`) }),
    ...(o.keptCountProfile === undefined
      ? {}
      : { keptCountProfile: keptCountProfile(o.keptCountProfile, `${p}.keptCountProfile`) }),
  };
}

/** Validates a posted run and returns it as a `RunReport` (unknown extra fields are dropped). */
export function validateRun(v: unknown): RunReport {
  const o = object(v, 'run');
  const schema = oneOf(o.schema, 'schema', SCHEMAS);
  const kind = oneOf(o.kind, 'kind', ['history', 'compare'] as const);
  const benchmarks = array(o.benchmarks, 'benchmarks', 100_000).map((b, i) => benchmark(b, `benchmarks[${i}]`, schema));
  const seen = new Set<string>();
  benchmarks.forEach((b, i) => {
    const key = `${b.name}\u0000${b.fixtureChecksum}`;
    if (seen.has(key)) invalid(`benchmarks[${i}].name`, 'unique within the run', b.name);
    seen.add(key);
  });
  const summary = object(o.summary, 'summary');
  const count = (k: string): number => integer(summary[k], `summary.${k}`, 0, Number.MAX_SAFE_INTEGER);
  return {
    schema: RUN_SCHEMA,
    id: matching(o.id, 'id', RUN_ID, 'a run id of letters, digits, ".", "_" or "-" (at most 128)'),
    kind,
    project: string(o.project, 'project', 200),
    profile: plain(o.profile, 'profile', 50),
    startedAt: isoDate(o.startedAt, 'startedAt'),
    finishedAt: isoDate(o.finishedAt, 'finishedAt'),
    testbed: testbed(o.testbed, 'testbed'),
    head: revision(o.head, 'head'),
    base: o.base === null ? null : revision(o.base, 'base'),
    settings: freeForm(o.settings, 'settings', FREE_FORM_DEPTH, SETTINGS_CHARS),
    benchmarks,
    summary: {
      regressed: count('regressed'),
      improved: count('improved'),
      unchanged: count('unchanged'),
      inconclusive: count('inconclusive'),
      errored: count('errored'),
      skipped: count('skipped'),
      ...(summary.added === undefined ? {} : { added: count('added') }),
      ...(summary.removed === undefined ? {} : { removed: count('removed') }),
    },
  };
}
