/**
 * The shapes benchgate's pipeline passes around, defined once: the store writes them, the
 * reports render them, `--json` prints them and the HTTP API accepts and serves them.
 */

/** Which fixtures a suite measures: `quick` for pull requests, `full` for the large ones. */
export type Profile = 'quick' | 'full';

/** How a comparison's round isolates a benchmark's two revisions: one process holding both, or one each. */
export type Isolation = 'paired' | 'process';

/**
 * The measures benchgate knows by name: time per call, peak resident memory, heap bytes and
 * allocations per call, instructions per call (counted, exact), throughput in bytes per second.
 */
export const MEASURES = ['time', 'peak-memory', 'allocated', 'allocations', 'instructions', 'throughput'] as const;

/** One of {@link MEASURES}. */
export type BuiltinMeasure = (typeof MEASURES)[number];

/**
 * A measure's name: one of {@link MEASURES}, or a figure a harness reports in units of its own,
 * named by its unit per call or per second (`frames/op`, `items/s`), or a named counter
 * (`counter:cache_misses`). See {@link isMeasureName}.
 */
export type MeasureName = string;

/** What a measure counts, and which way is better. */
export interface MeasureInfo {
  /** `seconds`, `bytes`, `bytes/s`, `count`, or a harness's own unit (the measure's name). */
  unit: string;
  better: 'lower' | 'higher';
  /** How reports name it. */
  label: string;
  /** A count that repeats exactly from run to run: compared against its threshold, without rounds. */
  exact?: boolean;
}

/** The built-in measures' units and directions. */
export const MEASURE_INFO: Record<BuiltinMeasure, MeasureInfo> = {
  time: { unit: 'seconds', better: 'lower', label: 'time' },
  'peak-memory': { unit: 'bytes', better: 'lower', label: 'peak memory' },
  allocated: { unit: 'bytes', better: 'lower', label: 'allocated' },
  allocations: { unit: 'count', better: 'lower', label: 'allocations' },
  instructions: { unit: 'count', better: 'lower', label: 'instructions', exact: true },
  throughput: { unit: 'bytes/s', better: 'higher', label: 'throughput' },
};

const HARNESS_MEASURE = /^(?:counter:[A-Za-z0-9_.-]{1,64}|[A-Za-z][A-Za-z0-9_.-]{0,31}\/(?:op|s))$/;

/** Whether `name` names a measure: a built-in one, `<unit>/op`, `<unit>/s` or `counter:<name>`. */
export function isMeasureName(name: string): boolean {
  return (MEASURES as readonly string[]).includes(name) || HARNESS_MEASURE.test(name);
}

/**
 * A measure's unit and direction: the built-in ones from {@link MEASURE_INFO}; a harness's own
 * figure is per second (higher is better) when its name ends in `/s`, else lower is better.
 */
export function measureInfo(name: MeasureName): MeasureInfo {
  const known = (MEASURE_INFO as Record<string, MeasureInfo>)[name];
  if (known) return known;
  return { unit: name.replace(/^counter:/, ''), better: name.endsWith('/s') ? 'higher' : 'lower', label: name };
}

/** Orders measure names: the built-in ones in {@link MEASURES} order, then the others by name. */
export function byMeasure(a: MeasureName, b: MeasureName): number {
  const rank = (m: string) => {
    const i = (MEASURES as readonly string[]).indexOf(m);
    return i < 0 ? MEASURES.length : i;
  };
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** What happened to one benchmark in one process (tinybench's TaskResult states, narrowed). */
export type BenchmarkState = 'completed' | 'errored' | 'skipped';

/** The four answers benchgate gives about a benchmark. */
export type VerdictKind = 'regressed' | 'improved' | 'unchanged' | 'inconclusive';

/** `history`: one revision against stored runs; `compare`: two revisions measured in one job. */
export type RunKind = 'history' | 'compare';

/** Which revision a process measured. A history run only has `head`. */
export type Side = 'head' | 'base';

/** The machine a measurement was taken on. History is only ever compared within one `key`. */
export interface Testbed {
  /** Stable hash of the fields below that change performance (not of hostnames or uptime). */
  key: string;
  cpuModel: string;
  cores: number;
  /** Widest SIMD level detected at run time: `avx512`, `avx2`, `sse2`, `neon` or `scalar`. */
  simd: string;
  /** Platform and architecture, e.g. `linux-x64`. */
  os: string;
  /** Node major version, e.g. `v20`. */
  node: string;
  /** GPU name when the CUDA addon sees a device, else null. */
  gpu: string | null;
}

/** A revision of the measured project. */
export interface Revision {
  /** Commit SHA, or null outside a git repository. */
  sha: string | null;
  /** Branch or ref name as given, when known. */
  ref: string | null;
  /** True when the working tree had uncommitted changes. */
  dirty: boolean;
  /** First line of the commit message, when known. */
  message: string | null;
  /** Commit date (ISO 8601), when known. */
  committedAt: string | null;
}

/** The work one call of a benchmark does, so results can be set against the machine's limits. */
export interface Work {
  /** Floating-point operations per call (an FMA counts as two). */
  flops: number | null;
  /** Bytes moved to or from memory per call, at least once. */
  bytes: number | null;
}

/** What identifies a benchmark: a changed fixture is a new benchmark, never compared with the old. */
export interface BenchmarkId {
  /** `kernel/implementation/fixture`. */
  name: string;
  kernel: string;
  implementation: string;
  fixture: string;
  /** Checksum of the fixture's generated data (hex). */
  fixtureChecksum: string;
}

/** One benchmark as measured by one fresh worker process: the unit of the statistics. */
export interface ProcessMeasurement {
  round: number;
  side: Side;
  state: BenchmarkState;
  reason: string | null;
  /** Number of timed calls tinybench kept. */
  samples: number;
  medianSeconds: number | null;
  meanSeconds: number | null;
  minSeconds: number | null;
  maxSeconds: number | null;
  /** Median absolute deviation of the samples, unscaled. */
  madSeconds: number | null;
  /** Peak memory beyond the fixture that setup and one call needed (bytes), when the suite measured it. */
  extraMemoryBytes?: number | null;
  /** This process's figure of each measure other than time that it took (`peak-memory`, `allocated`). */
  values?: Partial<Record<MeasureName, number>>;
  /**
   * On the head side of a process that timed both revisions in alternating blocks: ln(head/base)
   * taken block by block (src/measure/alternate.ts), which a paired comparison of time uses in
   * place of the ratio of the two medians. Absent elsewhere.
   */
  blockLogRatio?: number | null;
}

/** One measure other than time of a benchmark: the figures on each side and, where compared, its verdict. */
export interface MeasureResult {
  measure: MeasureName;
  /** Whether a regression of it fails the gate (`measures` and `benchmarks` in the config). */
  gated: boolean;
  /** Median over processes (head side; base for `removed`). */
  median: number | null;
  /** The median the verdict compared against (base side), when there is one. */
  baselineMedian: number | null;
  verdict: Verdict | null;
}

/** A decision about one benchmark, with the numbers behind it so that it can be reproduced. */
export interface Verdict {
  kind: VerdictKind;
  /** Which procedure decided, e.g. `history-robust-z` or `paired-capped-rank-hl`. */
  method: string;
  /** Estimated change of the time per call, in percent (positive = slower). */
  changePct: number | null;
  ciLowPct: number | null;
  ciHighPct: number | null;
  pValue: number | null;
  /** The smallest change that counted as real for this benchmark, in percent. */
  thresholdPct: number | null;
  /** One sentence a person can read: why this verdict. */
  reason: string;
  /** Anything else the method wants stored (sample sizes, noise, corrections). */
  details: Record<string, unknown>;
}

/**
 * Whether a benchmark exists on both revisions. `added`: only the head has it; `removed`: only
 * the base has it (a changed fixture checksum counts as removed + added). Such benchmarks are
 * reported, never compared. History runs measure one revision: always `both`.
 */
export type Presence = 'both' | 'added' | 'removed';

/** What every benchmark result carries, whatever its state. */
interface ResultBase extends BenchmarkId {
  work: Work;
  presence: Presence;
  /** The median the verdict compared against (history baseline or base side), when there is one. */
  baselineMedianSeconds: number | null;
  measurements: ProcessMeasurement[];
  /** The measures other than time (time is the result's own fields and verdict). */
  measures: MeasureResult[];
  /** False when the time verdict only informs (an `ignore` rule, or `time` not gated); absent means true. */
  gated?: boolean;
  /** Compare runs: where a regressed benchmark's time went, from CPU profiles of both sides (src/profile). */
  profile?: BenchmarkProfile;
  /**
   * Compare runs: where a regression's allocated bytes (suite modules' memory regressions, V8's
   * sampling heap profiler) or instructions (harness benchmarks, callgrind) went (src/profile).
   */
  countProfile?: CountProfile;
  /**
   * History runs with `keep-profiles`: the head's self time per function, which a later run's
   * regression of this benchmark is compared against (src/store/kept-profiles.ts). It travels in
   * the run file, so a data branch or the service keeps it too.
   */
  keptProfile?: KeptSelfTimes;
  /**
   * History runs with `keep-profiles`: the head's own count per call of each function, where its
   * profiler counts instead of timing (callgrind's instructions for harness benchmarks, V8's
   * sampled allocated bytes for a suite module's memory regression); kept like `keptProfile`.
   */
  keptCountProfile?: KeptCounts;
}

/** One function's self time per call, in milliseconds, as a kept profile holds it. */
export interface KeptFunction {
  function: string;
  /** Source file relative to the checkout, or '' when unknown. */
  file: string;
  /** 1-based line, 0 when unknown. */
  line: number;
  msPerCall: number;
}

/** Most functions a kept profile holds. */
export const MAX_KEPT_FUNCTIONS = 100;

/** A benchmark's kept profile: the calls it covered and its functions, largest self time first. */
export interface KeptSelfTimes {
  calls: number;
  functions: KeptFunction[];
}

/** One function's own count per call (instructions, bytes), as a kept count profile holds it. */
export interface KeptCount {
  function: string;
  /** Source file relative to the checkout (or the binary), or '' when unknown. */
  file: string;
  /** 1-based line, 0 when unknown. */
  line: number;
  perCall: number;
}

/** A benchmark's kept count profile: what was counted, by which profiler, over how many calls; largest first. */
export interface KeptCounts {
  unit: CountProfile['unit'];
  profiler: string;
  calls: number;
  functions: KeptCount[];
}

/** One function of a differential profile: its self time per call on each side, in milliseconds. */
export interface ProfileLine {
  /** As V8 names it (`(anonymous)`, `(garbage collector)` and `(program)` included). */
  function: string;
  /** Source file relative to the revision's checkout (the TypeScript source where a source map says), or V8's URL. */
  file: string;
  /** 1-based line of the function's start; 0 when V8 gives none (native and internal frames). */
  line: number;
  baseMsPerCall: number;
  headMsPerCall: number;
  deltaMsPerCall: number;
}

/** A regressed benchmark's differential profile: the functions whose self time per call grew most. */
export interface BenchmarkProfile {
  /** Largest growth first, five at most. */
  top: ProfileLine[];
  /** The `.cpuprofile` (or cProfile's `.prof`, Go's `.pprof`) files, relative to the JSON report's folder; null when none was written. */
  files: { base: string; head: string } | null;
  /** Seconds profiling this benchmark took, both sides. */
  seconds: number;
  /** Why there is no profile or what limits it (budget spent, the case failed), when something does. */
  note?: string;
  /**
   * The profiler, where not V8's CPU profiler alone: `cProfile` for pytest-benchmark benchmarks,
   * `pprof` for Go ones, `V8 CPU profiler and perf` where perf broke an addon's time down.
   */
  profiler?: string;
  /**
   * Where in the call tree the time went: base and head merged into one pruned call tree
   * (src/profile/call-tree.ts); V8 CPU profiles of suite modules only, absent elsewhere.
   */
  tree?: ProfileTree;
}

/** Most nodes a differential call tree holds (its root included). */
export const MAX_TREE_NODES = 300;
/** Deepest call path a differential call tree holds, in nodes below its root. */
export const MAX_TREE_DEPTH = 64;
/** Longest function name in a call tree, in characters (longer ones are cut, ending in `…`). */
export const MAX_TREE_NAME = 200;
/** Longest file in a call tree, in characters. */
export const MAX_TREE_FILE = 300;

/**
 * One node of a differential call tree: a function reached by one path of calls from the root,
 * with its inclusive (itself and all it calls) and self time per call on each side, in
 * milliseconds. Children are the functions it called, most head time first.
 */
export interface ProfileTreeNode {
  /** As V8 names it; `(native code)` for a native function, `(all calls)` for the root. */
  function: string;
  /** Source file relative to the revision's checkout, V8's URL, or '' when unknown. */
  file: string;
  /** 1-based line of the function's start; 0 when unknown. */
  line: number;
  baseTotalMsPerCall: number;
  headTotalMsPerCall: number;
  baseSelfMsPerCall: number;
  headSelfMsPerCall: number;
  children: ProfileTreeNode[];
}

/** A regression's differential call tree: its root (the whole benchmark) and how many paths pruning left out. */
export interface ProfileTree {
  root: ProfileTreeNode;
  /** Call paths left out as too small or beyond {@link MAX_TREE_NODES}; their time stays in their callers' totals. */
  pruned: number;
}

/** How much a node's inclusive time per call grew from base to head (negative: it shrank). */
export const totalGrowth = (n: ProfileTreeNode): number => n.headTotalMsPerCall - n.baseTotalMsPerCall;

/**
 * The path along which time grew most: from the root, into the callee whose inclusive time grew
 * most, for as long as that callee's growth is more than its caller's own (self) growth. Its last
 * node is where the growth is.
 */
export function growthPath(root: ProfileTreeNode): ProfileTreeNode[] {
  const path = [root];
  for (let n = root; ;) {
    let best: ProfileTreeNode | undefined;
    for (const c of n.children) if (best === undefined || totalGrowth(c) > totalGrowth(best)) best = c;
    if (best === undefined || totalGrowth(best) <= 0 || totalGrowth(best) <= n.headSelfMsPerCall - n.baseSelfMsPerCall)
      return path;
    path.push(best);
    n = best;
  }
}

/** One function of a differential of a count per call: allocated bytes or instructions (self, not inclusive). */
export interface CountLine {
  function: string;
  /** Source file (relative to the revision's checkout where it is inside it), or '' when unknown. */
  file: string;
  /** 1-based line of the function; 0 when unknown. */
  line: number;
  basePerCall: number;
  headPerCall: number;
  deltaPerCall: number;
}

/** A regression's differential of a count per call: the functions whose own count grew most. */
export interface CountProfile {
  /** What is counted: `bytes` allocated (V8's sampling heap profiler) or `instructions` (callgrind's Ir). */
  unit: 'bytes' | 'instructions';
  /** The profiler that took it or was missing, as a person names it (`callgrind`, `V8 sampling heap profiler`). */
  profiler: string;
  /** Largest growth first, five at most. */
  top: CountLine[];
  /** The profile files, relative to the JSON report's folder; null when none was written. */
  files: { base: string; head: string } | null;
  /** Seconds profiling this benchmark took, both sides. */
  seconds: number;
  /** Why there is no profile (the profiler is missing, the budget was spent), when something does. */
  note?: string;
}

/** A benchmark that completed: its figures, and a verdict wherever something was compared. */
export interface CompletedResult extends ResultBase {
  state: 'completed';
  /** Set when some processes failed although others completed. */
  reason: string | null;
  /** Median over processes of the per-process median time per call (head side; base for `removed`). */
  medianSeconds: number;
  /** Robust spread of the per-process medians: 1.4826·MAD/median in percent. */
  spreadPct: number | null;
  gflops: number | null;
  gbps: number | null;
  /** Null where nothing was compared (a benchmark on one side only, an A/A collection). */
  verdict: Verdict | null;
}

/** A benchmark that errored or was skipped (on either side): the reason, no figures, no verdict. */
export interface FailedResult extends ResultBase {
  state: 'errored' | 'skipped';
  reason: string;
  medianSeconds: null;
  spreadPct: null;
  gflops: null;
  gbps: null;
  verdict: null;
}

/** Everything known about one benchmark in one run; its shape follows its state (tinybench's `TaskResult`). */
export type BenchmarkResult = CompletedResult | FailedResult;

/** Counts of verdicts and states over a run. */
export interface RunSummary {
  /** Regressions found, over every gated benchmark × measure. */
  regressed: number;
  /** Improvements found, over every gated benchmark × measure. */
  improved: number;
  unchanged: number;
  inconclusive: number;
  errored: number;
  skipped: number;
  /** Benchmarks whose time verdict only informs (not counted above). */
  ignored?: number;
  /** Compare runs: benchmarks only the head has (not counted above). */
  added?: number;
  /** Compare runs: benchmarks only the base has (not counted above). */
  removed?: number;
}

/** The JSON report's schema: v2 has result unions, `presence` always and `verdict.kind`; v1 files still load. */
export const RUN_SCHEMA = 'benchgate.run/v2';

/** A whole run: what `benchgate run --json` prints and `POST /api/v1/runs` accepts. */
export interface RunReport {
  schema: typeof RUN_SCHEMA;
  /** Unique id (UUID); storing the same id twice is a no-op. */
  id: string;
  kind: RunKind;
  project: string;
  profile: string;
  startedAt: string;
  finishedAt: string;
  testbed: Testbed;
  head: Revision;
  base: Revision | null;
  /** The settings that shaped the measurement (rounds, time budget, thresholds). */
  settings: Record<string, unknown>;
  benchmarks: BenchmarkResult[];
  summary: RunSummary;
}

// ---- The history service's JSON (GET /api/v1/...), shared by the server, export and dashboard ----

/** A testbed as the API lists it: the fingerprint plus its store id and run count. */
export interface TestbedSummary extends Testbed {
  id: number;
  /** History runs on the main branch measured on this testbed. */
  runs: number;
}

/** One project in `GET /api/v1/projects`. */
export interface ProjectSummary {
  id: number;
  name: string;
  benchmarks: number;
  runs: number;
  latestRunAt: string | null;
  /** Testbeds with main-branch history, the one with the newest run first. */
  testbeds: TestbedSummary[];
  /** The branch whose history runs make the series. */
  branch: string;
  /** Base URL of the repository (`https://github.com/o/r`) for commit links, when configured. */
  repositoryUrl: string | null;
}

/** A stored benchmark (`GET /api/v1/projects/:id/benchmarks`). */
export interface BenchmarkSummary extends BenchmarkId {
  id: number;
  work: Work;
}

/** One row of the overview: a benchmark's recent values on a testbed and its latest verdict. */
export interface OverviewRow extends BenchmarkSummary {
  /** Median seconds of the most recent runs, oldest first (null where the run did not complete it). */
  sparkline: (number | null)[];
  latest: { runId: string; sha: string | null; medianSeconds: number | null; state: BenchmarkState } | null;
  verdict: Verdict | null;
  /** Change points in the whole stored series. */
  changePoints: number;
  /** The newest change point's relative change, in percent. */
  lastChangePct: number | null;
}

/** `GET /api/v1/projects/:id/testbeds/:tid/overview`. */
export interface Overview {
  project: { id: number; name: string };
  testbed: TestbedSummary;
  branch: string;
  rows: OverviewRow[];
  /** The measures the recent runs have figures of, time first; absent when they have only time. */
  measures?: MeasureName[];
}

/** One overview row in a measure besides time; there are no change points (they are searched in time only). */
export interface MeasureOverviewRow extends BenchmarkSummary {
  /** The measure's figure (the run's median over its processes) in the most recent runs, oldest first. */
  sparkline: (number | null)[];
  /** The benchmark's latest run and its figure there (null where the run did not take it). */
  latest: { runId: string; sha: string | null; value: number | null; state: BenchmarkState };
  /** The measure's verdict in that run. */
  verdict: Verdict | null;
}

/**
 * `GET .../overview?measure=M` for a measure besides time: the benchmarks with figures of it in
 * the recent runs (the others are left out), and the measures there are to choose from.
 */
export interface MeasureOverview extends Omit<Overview, 'rows' | 'measures'> {
  measure: Exclude<MeasureName, 'time'>;
  rows: MeasureOverviewRow[];
  measures: MeasureName[];
}

/** One point of a series: a main-branch history run's result for one benchmark. */
export interface SeriesPoint {
  runId: string;
  sha: string | null;
  message: string | null;
  committedAt: string | null;
  startedAt: string;
  /** Median over processes of the per-process median seconds; null when not completed. */
  medianSeconds: number | null;
  state: BenchmarkState;
}

/**
 * A series' points as columns, one entry per run, oldest first: the same fields as `SeriesPoint`
 * without repeating seven keys per point (a 2,000-point series is ~30% smaller and quicker to
 * serialise, parse and hand to uPlot). `seriesPointAt` reads one point back.
 */
export interface SeriesColumns {
  runId: string[];
  sha: (string | null)[];
  message: (string | null)[];
  committedAt: (string | null)[];
  startedAt: string[];
  state: BenchmarkState[];
  medianSeconds: (number | null)[];
}

/** Point `i` of a columnar series, or undefined past its end. */
export function seriesPointAt(c: SeriesColumns, i: number): SeriesPoint | undefined {
  if (!(i >= 0 && i < c.runId.length)) return undefined;
  return {
    runId: c.runId[i] as string,
    sha: c.sha[i] ?? null,
    message: c.message[i] ?? null,
    committedAt: c.committedAt[i] ?? null,
    startedAt: c.startedAt[i] as string,
    medianSeconds: c.medianSeconds[i] ?? null,
    state: c.state[i] as BenchmarkState,
  };
}

/** A stored change point (E-Divisive means): the series differs from `position` on. */
export interface StoredChangePoint {
  /** Index into the series' points of the first point after the change. */
  position: number;
  runId: string;
  sha: string | null;
  pValue: number;
  statistic: number;
  meanBefore: number;
  meanAfter: number;
  changePct: number;
}

/** `GET /api/v1/projects/:id/testbeds/:tid/benchmarks/:bid/series`. */
export interface Series {
  project: { id: number; name: string };
  benchmark: BenchmarkSummary;
  testbed: TestbedSummary;
  branch: string;
  repositoryUrl: string | null;
  /** The points, as columns (`seriesPointAt` reads one). */
  points: SeriesColumns;
  changePoints: StoredChangePoint[];
  /** The measures the series has figures of, time first; absent when it has only time. */
  measures?: MeasureName[];
}

/** A series' points with one measure besides time: `medianSeconds` becomes that measure's `values`. */
export interface MeasureSeriesColumns extends Omit<SeriesColumns, 'medianSeconds'> {
  /** The run's median over its head processes of the measure (bytes); null where it was not taken. */
  values: (number | null)[];
}

/** `GET .../series?measure=M` for a measure besides time; change points are searched in time only, so there are none. */
export interface MeasureSeries extends Omit<Series, 'points' | 'changePoints' | 'measures'> {
  measure: Exclude<MeasureName, 'time'>;
  points: MeasureSeriesColumns;
  changePoints: [];
  measures: MeasureName[];
}

/** A run in `GET /api/v1/projects/:id/runs` (the full run is `GET /api/v1/runs/:id`). */
export interface RunListItem {
  id: string;
  kind: RunKind;
  profile: string;
  startedAt: string;
  testbedId: number;
  head: Revision;
  base: Revision | null;
  summary: RunSummary;
}

/** The roofline report's schema: v2 measures the roofs in every round beside the kernels and keeps the rounds; v1 still loads. */
export const ROOFLINE_SCHEMA = 'benchgate.roofline/v2';

/** How far figures measured round by round spread: their interquartile range (numpy's linear quantiles). */
export type Interquartile = [q1: number, q3: number];

/** The roofs measured beside one benchmark in one process, each the median of its probe's calls; null where not measured. */
export interface RoofFigures {
  /** FP64 GFLOP/s of independent FMA chains at the widest SIMD level, all threads. */
  fmaPeakGflops: number | null;
  /** STREAM-triad GB/s over arrays far larger than the last-level cache, all threads. */
  bandwidthGBs: number | null;
}

/** The machine's limits, measured by `benchgate roofline` beside every benchmark in every round. */
export interface MachineLimits {
  /** Median over every process's FMA probe figure (GFLOP/s); null when not measured. */
  fmaPeakGflops: number | null;
  fmaPeakIqr: Interquartile | null;
  /** Median over every process's triad probe figure (GB/s); null when not measured. */
  bandwidthGBs: number | null;
  bandwidthIqr: Interquartile | null;
  /** Processes (benchmarks × rounds) whose probe figures these are. */
  probes: number;
  /** The SIMD level the FMA probe used. */
  simd: string;
  /** Threads the probes (and the parallel rungs) used. */
  threads: number;
  /** Why the limits are missing (no native addon), else null. */
  reason: string | null;
}

/** One benchmark set against the machine's limits. */
export interface RooflineResult {
  kernel: string;
  implementation: string;
  fixture: string;
  state: BenchmarkState;
  reason: string | null;
  medianSeconds: number | null;
  gflops: number | null;
  gbps: number | null;
  /** Flops per byte of the kernel's work count; null when the work counts no flops. */
  arithmeticIntensity: number | null;
  /** Which roof binds at this intensity under the median roofs: min(FMA peak, intensity × bandwidth). */
  boundBy: 'compute' | 'memory' | null;
  /**
   * Median over rounds of achieved over the binding roof measured beside it in that round (0–1; can
   * exceed 1 when data stays in cache).
   */
  fractionOfLimit: number | null;
  fractionIqr: Interquartile | null;
  /** Every round's figures, in round order. */
  rounds: RooflineRound[];
  /** The kernel's first (naive TypeScript) implementation on the same fixture, and how much faster this one is. */
  naiveImplementation: string;
  speedupOverNaive: number | null;
  /** Peak memory beyond the fixture that setup and one call needed (largest over processes), bytes. */
  extraMemoryBytes: number | null;
}

/** One benchmark's round: its median call and the roofs measured beside it in the same process. */
export interface RooflineRound extends RoofFigures {
  round: number;
  /** Null when the round's process did not complete the benchmark. */
  seconds: number | null;
  /** Achieved over this round's binding roof. */
  fraction: number | null;
}

/** What `benchgate roofline --json` prints and the dashboard's roofline view reads. */
export interface RooflineReport {
  schema: typeof ROOFLINE_SCHEMA;
  profile: string;
  startedAt: string;
  finishedAt: string;
  testbed: Testbed;
  machine: MachineLimits;
  results: RooflineResult[];
}

/**
 * What the history service stores and the dashboard draws of a roofline report: the measured
 * limits (both required) and a few fields of each result. A full `RooflineReport` posted to the
 * API is validated down to this; the spreads are absent in v1 reports.
 */
export interface RooflineSummary {
  machine: { fmaPeakGflops: number; bandwidthGBs: number; fmaPeakIqr?: Interquartile; bandwidthIqr?: Interquartile };
  results: (Pick<
    RooflineResult,
    | 'kernel'
    | 'implementation'
    | 'fixture'
    | 'state'
    | 'reason'
    | 'medianSeconds'
    | 'gflops'
    | 'gbps'
    | 'fractionOfLimit'
  > & { fractionIqr?: Interquartile })[];
}

/** `GET /api/v1/projects/:id/roofline`: the latest stored report, or null. */
export interface StoredRoofline {
  receivedAt: string;
  report: RooflineSummary;
}
