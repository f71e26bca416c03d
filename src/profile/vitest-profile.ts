/**
 * Differential profiles of `vitest bench` benchmarks under V8's CPU profiler: the user's command
 * runs once per side, narrowed to the one benchmark by vitest's own filters (its file and an
 * anchored `--testNamePattern`, as src/harness/vitest.ts narrows a run), with vitest's workers
 * started with `--cpu-prof` through `--execArgv` (Node 20 refuses `--cpu-prof` in NODE_OPTIONS).
 *
 * Vite transforms the TypeScript in memory and vitest runs it with `vm`, so the source maps are on
 * no disk: a small module preloaded in the workers (`--import`) keeps each module's inline map as
 * vitest compiles it, and functions are named at their TypeScript file and line through them.
 *
 * Only the benchmark's own code counts: the samples below tinybench's call of the benchmark
 * function. Everything else in the worker (starting vitest, transforming and loading the files,
 * the module's top level, tinybench's loop and timer, reporting) costs the same on both sides but
 * is spread over fewer calls on the slower side, so with it the set-up would seem to grow per call
 * and crowd the functions that did. V8's `(garbage collector)` samples hang off the root, outside
 * any call, and are left out with the rest; the continuations of an async benchmark after its first
 * `await` run from the microtask queue, not from tinybench, and are left out too.
 *
 * vitest's report counts the measured calls only (`sampleCount`), not tinybench's warm-up (at least
 * `warmupIterations` calls over `warmupTime`) nor its probe of whether the function is async, all
 * of which the profile holds; so the calls profiled are the time the profile caught in the
 * benchmark's code divided by the mean time per call vitest measured in the same run.
 */
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { shellQuote } from '../harness/adapter.js';
import { execShell } from '../harness/exec.js';
import { filterArguments } from '../harness/vitest.js';
import type { ProfileLine, ProfileTree, Side } from '../model.js';
import { differentialTree, type TreeSide } from './call-tree.js';
import { checkCpuProfile, MAX_PROFILE_BYTES, ProfileError, type CallFrame, type CpuProfile } from './cpu-profile.js';
import { differential, selfTimes, type SelfTime } from './differential.js';
import { SAMPLING_INTERVAL_US } from './profile-pass.js';
import { MAX_SOURCE_MAP_BYTES, SourceResolver, type Place } from './source-map.js';

/** What the comment calls this profiler. */
export const VITEST_PROFILER = 'V8 CPU profiler (vitest)';

/** Seconds a side takes besides the benchmark's own time: starting vitest and its worker, transforming the files. */
export const VITEST_STARTUP_SECONDS = 1.5;
/** The fewest seconds worth starting both sides with: their start-up and a short benchmark each. */
export const VITEST_MIN_SECONDS = 2 * (VITEST_STARTUP_SECONDS + 0.5);

/** Most source maps kept from one run (one per module vitest transformed). */
const MAX_SOURCE_MAPS = 10_000;
/** Largest vitest report read. */
const MAX_REPORT_BYTES = 64 * 1024 * 1024;

/** How to run one vitest benchmark alone. */
export interface VitestBenchmarkTarget {
  /** vitest's name of it, `<file> > <describe> > <bench>`. */
  own: string;
  /** The arguments appended to the command that run it alone (src/harness/vitest.ts). */
  filter: string;
}

/** The benchmark's filters, or null when its name has no file to narrow the run to. */
export function vitestBenchmarkTarget(own: string): VitestBenchmarkTarget | null {
  const filter = filterArguments([own]);
  return filter === '' ? null : { own, filter };
}

/**
 * A module preloaded in vitest's workers: each time vitest compiles a module with `vm`, the inline
 * source map at its end is written to `outDir` as `{ file, map }`. It never changes what runs.
 */
export function sourceMapPreload(outDir: string): string {
  return `import vm from 'node:vm';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
const OUT = ${JSON.stringify(outDir)};
const INLINE = /\\/\\/[#@]\\s*sourceMappingURL=data:application\\/json;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)\\s*$/m;
let n = 0;
for (const [key, at] of [['runInThisContext', 1], ['runInContext', 2]]) {
  const original = vm[key];
  if (typeof original !== 'function') continue;
  vm[key] = function (code, ...rest) {
    try {
      const options = rest[at - 1];
      if (typeof code === 'string' && options && typeof options.filename === 'string' && n < ${MAX_SOURCE_MAPS}) {
        const m = INLINE.exec(code.slice(-${MAX_SOURCE_MAP_BYTES}));
        if (m) {
          const map = Buffer.from(m[1], 'base64').toString('utf8');
          writeFileSync(join(OUT, process.pid + '-' + n++ + '.json'), '{"file":' + JSON.stringify(options.filename) + ',"map":' + map + '}');
        }
      }
    } catch {}
    return original.call(this, code, ...rest);
  };
}
`;
}

/** The source maps the preload wrote to `dir`, by the file vitest compiled; unreadable ones are left out. */
export function readCapturedSourceMaps(dir: string): Map<string, SourceMap> {
  const maps = new Map<string, SourceMap>();
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return maps;
  }
  for (const name of names.sort().slice(0, MAX_SOURCE_MAPS)) {
    try {
      const path = join(dir, name);
      if (lstatSync(path).size > 2 * MAX_SOURCE_MAP_BYTES) continue;
      const v = JSON.parse(readFileSync(path, 'utf8')) as { file?: unknown; map?: unknown };
      const map = v.map as { sources?: unknown } | undefined;
      if (typeof v.file !== 'string' || typeof map !== 'object' || map === null || !Array.isArray(map.sources))
        continue;
      maps.set(v.file, new SourceMap(map as ConstructorParameters<typeof SourceMap>[0]));
    } catch {
      // A map that does not parse only costs its functions their TypeScript lines.
    }
  }
  return maps;
}

/** A path shown relative to `root` when inside it, with `/` separators. */
function shown(path: string, root: string): string {
  const rel = relative(root, path);
  return (rel.startsWith('..') || isAbsolute(rel) ? path : rel).split(sep).join('/');
}

/**
 * Names frames of one side: through the source map vitest compiled a module with where there is
 * one, else as ./source-map.ts does (a `.js.map` beside a file, or the file and line as they are).
 */
export class VitestPlaces {
  private readonly resolver: SourceResolver;

  constructor(
    private readonly root: string,
    private readonly maps: Map<string, SourceMap>,
  ) {
    this.resolver = new SourceResolver(root);
  }

  /** The place of a frame's function (its first line). */
  place(frame: CallFrame): Place {
    let path: string | null = null;
    try {
      path = frame.url.startsWith('file:') ? fileURLToPath(frame.url) : isAbsolute(frame.url) ? frame.url : null;
    } catch {
      path = null;
    }
    const map = path === null ? undefined : this.maps.get(path);
    if (path === null || map === undefined || frame.lineNumber < 0) return this.resolver.place(frame);
    try {
      const e = map.findEntry(frame.lineNumber, Math.max(0, frame.columnNumber)) as Partial<{
        originalSource: string;
        originalLine: number;
      }>;
      if (typeof e.originalSource === 'string' && typeof e.originalLine === 'number') {
        const source = e.originalSource.startsWith('file:')
          ? fileURLToPath(e.originalSource)
          : resolve(dirname(path), e.originalSource);
        return { file: shown(source, this.root), line: e.originalLine + 1 };
      }
    } catch {
      // Fall through to the position vitest ran.
    }
    return this.resolver.place(frame);
  }
}

/** tinybench's code, wherever a package manager put it. */
const TINYBENCH = /\/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?tinybench\//;
/** vitest's and vite's own code, which tinybench calls back into (event listeners, reporting). */
const VITEST = /\/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?(?:vitest|@vitest\/[^/]+|vite)\//;

/**
 * The nodes of `profile` in the benchmark's own code: a user's function that tinybench called (a
 * file outside vitest, vite and tinybench; not tinybench's timer in Node, not vitest's listeners
 * of tinybench's events), and everything it called in turn.
 */
export function benchmarkNodes(profile: CpuProfile): Set<number> {
  const url = (id: number) => profile.frames.get(id)?.url ?? '';
  const isEntry = (id: number): boolean => {
    const parent = profile.parents.get(id);
    const u = url(id);
    return (
      parent !== undefined &&
      TINYBENCH.test(url(parent)) &&
      (u.startsWith('file:') || isAbsolute(u)) &&
      !TINYBENCH.test(u) &&
      !VITEST.test(u)
    );
  };
  const inside = new Map<number, boolean>();
  const isInside = (id: number): boolean => {
    const path: number[] = [];
    let at: number | undefined = id;
    let found = false;
    while (at !== undefined) {
      const known = inside.get(at);
      if (known !== undefined) {
        found = known;
        break;
      }
      path.push(at);
      if (isEntry(at)) {
        found = true;
        break;
      }
      // Back in tinybench: the entry was not below.
      if (TINYBENCH.test(url(at))) break;
      at = profile.parents.get(at);
    }
    for (const p of path) inside.set(p, found);
    return found;
  };
  return new Set([...profile.frames.keys()].filter(isInside));
}

/**
 * A vitest worker's `.cpuprofile` (parsed JSON) made readable by ./cpu-profile.ts: vitest compiles
 * each module inside a one-line wrapper with a negative column offset, so V8 places the wrapper
 * function at a negative column; it is moved to column 0.
 */
export function normalizeVitestProfile(v: unknown): unknown {
  const nodes = (v as { nodes?: unknown } | null)?.nodes;
  if (!Array.isArray(nodes)) return v;
  for (const node of nodes as unknown[]) {
    const frame = (node as { callFrame?: unknown } | null)?.callFrame as { columnNumber?: unknown } | undefined;
    if (
      typeof frame === 'object' &&
      frame !== null &&
      typeof frame.columnNumber === 'number' &&
      frame.columnNumber < -1
    )
      frame.columnNumber = 0;
  }
  return v;
}

/** Parses a vitest worker's `.cpuprofile` text ({@link normalizeVitestProfile}); `what` names it in errors. */
export function parseVitestProfile(text: string, what: string): { profile: CpuProfile; json: unknown } {
  if (text.length > MAX_PROFILE_BYTES) throw new ProfileError(`${what}: larger than ${MAX_PROFILE_BYTES} bytes`);
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new ProfileError(`${what}: not JSON (${(e as Error).message.slice(0, 200)})`);
  }
  const json = normalizeVitestProfile(v);
  return { profile: checkCpuProfile(json, what), json };
}

/** A vitest benchmark's figures from the report of its profiled run. */
export interface VitestRunFigures {
  /** Mean milliseconds per measured call. */
  meanMs: number;
  /** The calls vitest measured (not the warm-up). */
  sampleCount: number;
}

/** The figures of benchmark `own` (`<file> > <describe> > <bench>`) in a parsed vitest report. */
export function vitestRunFigures(report: unknown, own: string, what: string): VitestRunFigures {
  const fail = (message: string): never => {
    throw new ProfileError(`${what}: ${message}`);
  };
  const files = (report as { files?: unknown } | null)?.files;
  if (!Array.isArray(files)) return fail(`the vitest report has no 'files' array`);
  for (const file of files as unknown[]) {
    const groups = (file as { groups?: unknown } | null)?.groups;
    if (!Array.isArray(groups)) continue;
    for (const group of groups as unknown[]) {
      const g = group as { fullName?: unknown; benchmarks?: unknown } | null;
      if (typeof g?.fullName !== 'string' || !Array.isArray(g.benchmarks)) continue;
      for (const bench of g.benchmarks as unknown[]) {
        const b = bench as Record<string, unknown> | null;
        if (typeof b?.name !== 'string' || `${g.fullName} > ${b.name}` !== own) continue;
        const { mean, sampleCount } = b;
        if (typeof mean !== 'number' || !(mean > 0) || !Number.isFinite(mean))
          return fail(`vitest reported no timings for ${own}: the benchmark threw`);
        if (typeof sampleCount !== 'number' || !Number.isSafeInteger(sampleCount) || sampleCount < 1)
          return fail(`'sampleCount' of ${own} must be a whole number ≥ 1, got ${JSON.stringify(sampleCount)}`);
        return { meanMs: mean, sampleCount };
      }
    }
  }
  return fail(`the vitest report has no benchmark ${own} (did the filter match it?)`);
}

/** One side's self times per call in the benchmark's own code, and the calls they are divided by. */
export interface VitestSideTimes {
  self: SelfTime[];
  /** Calls profiled: warm-up included, estimated from the time the profile caught in the benchmark. */
  calls: number;
  /** Milliseconds of samples in the benchmark's own code. */
  benchmarkMs: number;
}

/**
 * Self time per call of each function in the benchmark's own code ({@link benchmarkNodes}), over
 * the calls the profile covers: its time there divided by the mean time per call vitest measured.
 */
export function vitestSelfTimes(
  profile: CpuProfile,
  figures: VitestRunFigures,
  place: (frame: CallFrame) => Place,
  what: string,
): VitestSideTimes {
  const inside = benchmarkNodes(profile);
  let micros = 0;
  profile.samples.forEach((id, i) => {
    if (inside.has(id)) micros += profile.durations[i] ?? 0;
  });
  if (micros <= 0) throw new ProfileError(`${what}: the CPU profile caught no sample in the benchmark's own code`);
  const calls = Math.max(1, micros / 1000 / figures.meanMs);
  const self = selfTimes(profile, calls, (id) => {
    const frame = profile.frames.get(id);
    return frame !== undefined && inside.has(id) ? place(frame) : null;
  });
  return { self, calls, benchmarkMs: micros / 1000 };
}

/** One side's checkout and the folder its harness ran in. */
export interface VitestProfileSide {
  side: Side;
  root: string;
  cwd: string;
}

/** Why vitest could not run in `cwd`, when it is not installed there; null when it resolves. */
export function vitestMissing(cwd: string): string | null {
  try {
    createRequire(join(cwd, 'package.json')).resolve('vitest/package.json');
    return null;
  } catch {
    return `vitest was not found from ${cwd} (no node_modules/vitest: install the project's dependencies)`;
  }
}

/** The last lines a failed run printed, plain. */
function lastWords(stdout: string, stderr: string): string {
  // eslint-disable-next-line no-control-regex
  const plain = `${stderr.trim() || stdout.trim()}`.replace(/\x1b\[[0-9;]*m/g, '');
  return plain.split('\n').slice(-3).join(' ').slice(0, 500);
}

/**
 * Runs `target` once with `command` in `cwd` under V8's CPU profiler, copying the profile of the
 * worker that ran it to `cpuprofile`; that side's self times.
 */
export async function profileVitestSide(
  command: string,
  target: VitestBenchmarkTarget,
  o: { side: VitestProfileSide; cpuprofile: string; timeoutMs: number; what: string },
): Promise<VitestSideTimes & { tree: TreeSide }> {
  const tmp = mkdtempSync(join(tmpdir(), 'benchgate-vitest-profile-'));
  try {
    const profDir = join(tmp, 'cpu');
    const mapsDir = join(tmp, 'maps');
    mkdirSync(profDir);
    mkdirSync(mapsDir);
    const preload = join(tmp, 'source-maps.mjs');
    writeFileSync(preload, sourceMapPreload(mapsDir));
    const report = join(tmp, 'report.json');
    const execArgv = [
      '--cpu-prof',
      `--cpu-prof-dir=${profDir}`,
      `--cpu-prof-interval=${SAMPLING_INTERVAL_US}`,
      `--import=${pathToFileURL(preload).href}`,
    ].map((a) => shellQuote(`--execArgv=${a}`));
    const commandLine = `${command}${target.filter} --outputJson ${shellQuote(report)} ${execArgv.join(' ')}`;
    const r = await execShell(commandLine, {
      cwd: o.side.cwd,
      timeoutMs: Math.max(1, o.timeoutMs),
      env: { NO_COLOR: '1' },
    });
    if (r.killed !== null)
      throw new ProfileError(
        r.killed.startsWith('timed out')
          ? `the profile budget ran out while profiling ${o.what}`
          : `profiling ${o.what} ${r.killed}`,
      );
    if (r.code !== 0) {
      const said = lastWords(r.stdout, r.stderr);
      const missing = vitestMissing(o.side.cwd);
      throw new ProfileError(
        `vitest did not run ${o.what} (exit ${r.code})${missing === null ? '' : `: ${missing}`}${said ? `: ${said}` : ''}`,
      );
    }
    let text: string;
    try {
      if (lstatSync(report).size > MAX_REPORT_BYTES) throw new Error('too large');
      text = readFileSync(report, 'utf8');
    } catch {
      throw new ProfileError(`vitest wrote no benchmark report for ${o.what}: is the command \`vitest bench\`?`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new ProfileError(`the vitest report of ${o.what} is not JSON (${(e as Error).message.slice(0, 200)})`);
    }
    const figures = vitestRunFigures(parsed, target.own, `the run of ${o.what}`);
    const places = new VitestPlaces(o.side.root, readCapturedSourceMaps(mapsDir));
    const written = readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile'));
    if (written.length === 0)
      throw new ProfileError(
        `vitest's workers wrote no CPU profile for ${o.what} (they get --cpu-prof through --execArgv, which the browser pool has no use for)`,
      );
    // A run may start several workers; the benchmark ran in one of them.
    let best: { json: unknown; profile: CpuProfile; times: VitestSideTimes } | null = null;
    for (const f of written) {
      const path = join(profDir, f);
      if (lstatSync(path).size > MAX_PROFILE_BYTES) continue;
      const { profile, json } = parseVitestProfile(readFileSync(path, 'utf8'), `the CPU profile of ${o.what}`);
      try {
        const times = vitestSelfTimes(profile, figures, (frame) => places.place(frame), `the CPU profile of ${o.what}`);
        if (best === null || times.benchmarkMs > best.times.benchmarkMs) best = { json, profile, times };
      } catch (e) {
        if (!(e instanceof ProfileError)) throw e;
      }
    }
    if (best === null)
      throw new ProfileError(
        `the CPU profile of ${o.what} caught no sample in the benchmark's own code (is it shorter than ${SAMPLING_INTERVAL_US} µs in all?)`,
      );
    // Written as read, with the wrapper's column mended, so that every reader of .cpuprofile opens it.
    writeFileSync(o.cpuprofile, JSON.stringify(best.json));
    const tree: TreeSide = {
      profile: best.profile,
      calls: best.times.calls,
      place: (frame) => places.place(frame),
      // tinybench's loop and vitest's listeners: the benchmark's calls start under them.
      isHarness: (frame) => TINYBENCH.test(frame.url) || VITEST.test(frame.url),
    };
    return { ...best.times, tree };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Profiles `target` with the user's `command` on the base and then the head, writing
 * `base.cpuprofile` and `head.cpuprofile` to `dir`; the differential, the calls each side's
 * profile covered, and the two call trees merged under tinybench's loop (./call-tree.ts). A
 * ProfileError says why it could not.
 */
export async function profileVitestBenchmark(
  target: VitestBenchmarkTarget,
  o: {
    command: string;
    sides: { base: VitestProfileSide; head: VitestProfileSide };
    dir: string;
    secondsLeft: () => number;
    budgetSeconds: number;
    what: string;
  },
): Promise<{ top: ProfileLine[]; calls: Record<Side, number>; tree: ProfileTree }> {
  if (o.secondsLeft() < VITEST_MIN_SECONDS)
    throw new ProfileError(
      `${Math.max(0, o.secondsLeft()).toFixed(1)} s of the profile budget (${o.budgetSeconds} s) were left, a vitest profile of both sides takes about ${VITEST_MIN_SECONDS} s at least`,
    );
  const times = {} as Record<Side, VitestSideTimes & { tree: TreeSide }>;
  for (const side of [o.sides.base, o.sides.head]) {
    const what = `the ${side.side} of ${o.what}`;
    // The base may take half of what is left, so that the head has as long.
    const timeoutMs = (side.side === 'base' ? o.secondsLeft() / 2 : o.secondsLeft()) * 1000;
    const cpuprofile = resolve(o.dir, `${side.side}.cpuprofile`);
    times[side.side] = await profileVitestSide(o.command, target, { side, cpuprofile, timeoutMs, what });
  }
  return {
    top: differential(times.base.self, times.head.self),
    calls: { base: times.base.calls, head: times.head.calls },
    tree: differentialTree(times.base.tree, times.head.tree),
  };
}
