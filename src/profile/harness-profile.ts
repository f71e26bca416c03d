/**
 * Differential profiles of a project's own harness benchmarks that regressed, after the verdicts,
 * each run once on the base and then the head within the profile budget:
 * - native harnesses (`command`, hyperfine, Google Benchmark) under valgrind's callgrind, which
 *   counts the instructions each function executes itself, exactly and the same on every run; a
 *   `command` benchmark is its command, one call per run, a hyperfine one the command it times
 *   (./hyperfine-profile.ts), likewise, a Google Benchmark one the binary narrowed to that
 *   benchmark for one iteration ({@link GOOGLE_BENCHMARK_MIN_TIME}), its calls the iterations the
 *   library reports running (`--v=2`). The differential is
 *   the functions whose own instructions per call grew most, with file and line from the
 *   binary's debug info; the callgrind outputs (KCachegrind and `callgrind_annotate` read them)
 *   are kept. Where valgrind is missing, or callgrind (some {@link CALLGRIND_SLOWDOWN} times slower)
 *   would not fit the budget, the same run is sampled by `perf record` instead: the functions
 *   whose own CPU time per call grew most (`.perf.data` files, `perf report`);
 * - pytest-benchmark under Python's cProfile, through a small pytest plugin: the functions whose
 *   own time per call grew most; the pstats files (`.prof`; snakeviz, `python -m pstats`) are kept;
 * - `go test -bench` under Go's own CPU profiler (./go-profile.ts): the functions whose own time
 *   per iteration grew most; the `.pprof` files (`go tool pprof`, speedscope) are kept;
 * - `vitest bench` under V8's CPU profiler in vitest's workers (./vitest-profile.ts): the functions
 *   of the benchmark's own code whose self time per call grew most, at their TypeScript lines; the
 *   `.cpuprofile` files (Chrome DevTools, speedscope) are kept.
 * Other harnesses, and machines without valgrind, get a note naming the profiler that is missing.
 * Files go under `benchgate-profiles/<benchmark>/` in the reports' folder.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { childEnv } from '../child-env.js';
import type { HarnessEntry } from '../config/harnesses.js';
import { shellQuote } from '../harness/adapter.js';
import { execShell } from '../harness/exec.js';
import { benchmarkFilter } from '../harness/google-benchmark.js';
import { keywordSelection } from '../harness/pytest-benchmark.js';
import { valgrindVersion } from '../measure/instructions.js';
import type { BenchmarkProfile, BenchmarkResult, CountProfile, Side } from '../model.js';
import { callgrindSelfCosts } from './callgrind.js';
import { isProgram, perfSelfTimes } from './native-frames.js';
import { PERF, perfRecordWholeArgs, perfUnavailable } from './perf-record.js';
import { checkoutPath } from './checkout-path.js';
import { ProfileError } from './cpu-profile.js';
import {
  byFunction,
  countDifferential,
  differential,
  scaled,
  toMeasured,
  type SelfCount,
  type SelfTime,
} from './differential.js';
import {
  GO_PROFILE_SECONDS,
  GO_PROFILER,
  GO_STARTUP_SECONDS,
  goBenchmarkTarget,
  goMissing,
  goSelfTimes,
  profileGoBenchmark,
  profileGoSide,
  type GoBenchmarkTarget,
} from './go-profile.js';
import { hyperfineCommandOf } from './hyperfine-profile.js';
import {
  profileVitestBenchmark,
  profileVitestSide,
  VITEST_PROFILER,
  vitestBenchmarkTarget,
  type VitestBenchmarkTarget,
} from './vitest-profile.js';
import {
  grewMost,
  isRegression,
  largestFirst,
  measuredPerCall,
  passClock,
  newProfileFolder,
  type ProfilePassSummary,
} from './profile-pass.js';

/** What the comment calls this profiler. */
export const CALLGRIND = 'callgrind';

/**
 * The smallest growth listed, as a share of the head's instructions per call: the counts are
 * exact, but the dynamic loader's work differs by a few instructions between two checkouts' paths.
 */
export const CALLGRIND_MIN_SHARE = 0.001;

/**
 * The `--benchmark_min_time` a Google Benchmark binary gets under callgrind: shorter than any
 * iteration, so the library runs exactly one iteration on either side. The work done once per
 * process (loading, the dynamic linker, set-up) is then the same on both sides and cancels
 * exactly in the differential; with the iterations left to the library's timing, the slower side
 * runs fewer of them and that fixed work per call would seem to grow.
 */
export const GOOGLE_BENCHMARK_MIN_TIME = '1e-9';

/** One revision's checkout, as the harness ran in it. */
export interface HarnessProfileSide {
  side: Side;
  root: string;
  /** Where benchgate was started, relative to the root: a harness's default working directory. */
  within: string;
}

/** How one benchmark of a harness runs once under its profiler, or what is missing to profile it. */
export type HarnessProfilePlan =
  | { profiler: 'callgrind'; commandLine: string; callsOf: (stderr: string) => number | null }
  | { profiler: 'cProfile'; commandLine: string }
  | { profiler: typeof GO_PROFILER; target: GoBenchmarkTarget }
  | { profiler: typeof VITEST_PROFILER; target: VitestBenchmarkTarget; command: string }
  | { missing: string };

/** Seconds of timing asked of pytest-benchmark under cProfile. */
export const PYTEST_MAX_TIME = 0.2;

/** The pytest plugin module that profiles one test under cProfile ({@link CPROFILE_PLUGIN}). */
export const CPROFILE_MODULE = 'benchgate_cprofile';

/**
 * A pytest plugin: in the test `BENCHGATE_CPROFILE_TEST`, each call pytest-benchmark makes of the
 * function given to the `benchmark` fixture (calibration, warm-up and rounds alike) is counted and
 * runs under cProfile, and nothing else does (the timer's calibration, the test's own set-up);
 * then it writes each function's own time (`tottime`) and the calls to
 * `BENCHGATE_CPROFILE_OUT` as JSON, and the pstats file beside it (`.prof`). pytest-benchmark's
 * own `--benchmark-cprofile` profiles one extra call only, and fails in Debian's 3.2.2.
 */
export const CPROFILE_PLUGIN = `import cProfile, json, os, pstats
import pytest

_OUT = os.environ.get('BENCHGATE_CPROFILE_OUT')
_TEST = os.environ.get('BENCHGATE_CPROFILE_TEST')


class _Counted:
    def __init__(self, fixture, profile):
        self._fixture = fixture
        self._profile = profile
        self.calls = 0

    def _count(self, function):
        def counted(*args, **kwargs):
            self.calls += 1
            self._profile.enable()
            try:
                return function(*args, **kwargs)
            finally:
                self._profile.disable()
        return counted

    def __call__(self, function, *args, **kwargs):
        return self._fixture(self._count(function), *args, **kwargs)

    def pedantic(self, target, *args, **kwargs):
        return self._fixture.pedantic(self._count(target), *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._fixture, name)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    if _OUT is None or item.nodeid != _TEST or 'benchmark' not in item.funcargs:
        yield
        return
    profile = cProfile.Profile()
    counted = _Counted(item.funcargs['benchmark'], profile)
    item.funcargs['benchmark'] = counted
    try:
        yield
    finally:
        profile.dump_stats(_OUT + '.prof')
        functions = [
            {'file': f, 'line': line, 'function': name, 'tottime': tt}
            for (f, line, name), (cc, nc, tt, ct, callers) in pstats.Stats(profile).stats.items()
            if f != __file__ and '_lsprof.Profiler' not in name
        ]
        with open(_OUT, 'w') as out:
            json.dump({'calls': counted.calls, 'functions': functions}, out)
`;

/** The plan for benchmark `own` (the harness's own name) of `entry`. */
export function harnessProfilePlan(entry: HarnessEntry, own: string): HarnessProfilePlan {
  if (entry.harness === 'command')
    return { profiler: 'callgrind', commandLine: `exec >/dev/null\n${entry.command}`, callsOf: () => 1 };
  if (entry.harness === 'hyperfine') {
    // One hyperfine benchmark is one command: run once, like a `command` benchmark.
    const found = hyperfineCommandOf(entry.command, own);
    if ('missing' in found) return found;
    return { profiler: 'callgrind', commandLine: `exec >/dev/null\n${found.commandLine}`, callsOf: () => 1 };
  }
  if (entry.harness === 'google-benchmark') {
    return {
      profiler: 'callgrind',
      commandLine: `exec >/dev/null\n${entry.command} ${shellQuote(`--benchmark_filter=${benchmarkFilter([own])}`)} --benchmark_min_time=${GOOGLE_BENCHMARK_MIN_TIME} --v=2`,
      // The last --benchmark_min_time given wins. Every run the library makes prints
      // `Running <name> for <iterations>` (once per repetition the command asks for).
      callsOf: (stderr) => {
        let calls = 0;
        for (const m of stderr.matchAll(/Running (.+) for (\d{1,15})\s*$/gm))
          if (m[1] === own || m[1]?.startsWith(`${own}/`)) calls += Number(m[2]);
        return calls > 0 ? calls : null;
      },
    };
  }
  if (entry.harness === 'pytest-benchmark') {
    const keyword = keywordSelection([own]);
    const maxTime = /--benchmark-max-time\b/.test(entry.command) ? [] : [`--benchmark-max-time=${PYTEST_MAX_TIME}`];
    const args = [
      '-p',
      CPROFILE_MODULE,
      ...(keyword === null ? [] : ['-k', keyword]),
      '--benchmark-enable',
      ...maxTime,
    ];
    return { profiler: 'cProfile', commandLine: `exec >/dev/null\n${entry.command} ${args.map(shellQuote).join(' ')}` };
  }
  if (entry.harness === 'go') {
    const target = goBenchmarkTarget(own);
    return target === null
      ? { missing: `its name '${own}' has no Go package and Benchmark function to run` }
      : { profiler: GO_PROFILER, target };
  }
  if (entry.harness === 'vitest') {
    const target = vitestBenchmarkTarget(own);
    return target === null
      ? { missing: `its name '${own}' has no file to run it from` }
      : { profiler: VITEST_PROFILER, target, command: entry.command };
  }
  return {
    missing: `no profiler for ${entry.harness} benchmarks yet (callgrind profiles command, hyperfine and google-benchmark ones, cProfile pytest-benchmark ones, ${GO_PROFILER} go ones, V8's CPU profiler vitest ones)`,
  };
}

/** Why callgrind cannot run here, or null when it can. */
export function callgrindMissing(): string | null {
  return valgrindVersion() === null ? 'callgrind was not found: valgrind is not on PATH' : null;
}

/** Most bytes of a profiled run's stderr kept (Google Benchmark's `--v=2` lines are read from it). */
const STDERR_CAP = 4 * 1024 * 1024;

/** Runs `commandLine` once under callgrind in `cwd`, writing `callgrind.out.<side>.<pid>` files to `dir`; its stderr. */
function underCallgrind(
  commandLine: string,
  o: { cwd: string; dir: string; side: Side; timeoutMs: number; what: string },
): Promise<string> {
  const out = join(o.dir, `callgrind.out.${o.side}.%p`);
  const args = [
    '--tool=callgrind',
    '-q',
    '--trace-children=yes',
    `--callgrind-out-file=${out}`,
    'sh',
    '-c',
    commandLine,
  ];
  return underProfiler('valgrind', args, CALLGRIND, o);
}

/** Runs `commandLine` once under `perf record` in `cwd`, writing the samples to `data`; its stderr. */
function underPerf(
  commandLine: string,
  data: string,
  o: { cwd: string; timeoutMs: number; what: string },
): Promise<string> {
  return underProfiler(PERF, perfRecordWholeArgs(data, ['sh', '-c', commandLine]), PERF_PROFILER, o);
}

/** Runs a profiler's command line in its own process group, killed when `timeoutMs` runs out; its stderr. */
function underProfiler(
  cmd: string,
  args: string[],
  profiler: string,
  o: { cwd: string; timeoutMs: number; what: string },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: o.cwd,
      env: childEnv(),
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < STDERR_CAP) stderr += d.toString();
    });
    let timedOut = false;
    const timer = setTimeout(
      () => {
        timedOut = true;
        try {
          process.kill(-(child.pid as number), 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      },
      Math.max(1, o.timeoutMs),
    );
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new ProfileError(`${profiler} did not start for ${o.what}: ${e.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut) return reject(new ProfileError(`the profile budget ran out while profiling ${o.what}`));
      if (code !== 0) {
        const said = stderr.trim().split('\n').slice(-3).join(' ').slice(0, 500);
        return reject(
          new ProfileError(`profiling ${o.what} under ${profiler} failed (exit ${code})${said ? `: ${said}` : ''}`),
        );
      }
      resolve(stderr);
    });
  });
}

/** One side's callgrind profile: its output files (most instructions first) and instructions per call by function. */
interface SideProfile {
  files: string[];
  counts: SelfCount[];
}

/** Reads one side's callgrind outputs in `dir` and divides each function's own instructions by `calls`. */
export function sideInstructions(dir: string, side: HarnessProfileSide, calls: number, what: string): SideProfile {
  const outputs = readdirSync(dir)
    .filter((f) => f.startsWith(`callgrind.out.${side.side}.`))
    .map((f) => {
      const costs = callgrindSelfCosts(readFileSync(join(dir, f), 'utf8'), `${what} (${f})`);
      return { f, costs, total: costs.reduce((sum, c) => sum + c.ir, 0) };
    })
    // The process that did the most (the benchmark's, not the shell's) first.
    .sort((a, b) => b.total - a.total);
  if (outputs.length === 0) throw new ProfileError(`callgrind wrote no output for ${what}`);
  const counts = outputs.flatMap(({ costs }) =>
    costs.map((c) => ({
      function: c.function,
      // Without debug info the binary is the best place callgrind knows.
      file: checkoutPath(c.file === '' ? c.object : c.file, side.root),
      line: c.file === '' ? 0 : c.line,
      perCall: c.ir / calls,
    })),
  );
  return { files: outputs.map(({ f }) => f), counts: byFunction(counts) };
}

/** Most functions read from a cProfile side's JSON. */
const MAX_CPROFILE_FUNCTIONS = 1_000_000;

/** Self time per call of each function in the plugin's JSON (`text`), named relative to the side's checkout. */
export function cProfileSelfTimes(text: string, side: HarnessProfileSide, what: string): SelfTime[] {
  return readCProfile(text, side, what).self;
}

/** The plugin's JSON (`text`) read once: the calls it covered and each function's self time per call. */
function readCProfile(text: string, side: HarnessProfileSide, what: string): { calls: number; self: SelfTime[] } {
  const fail = (message: string): never => {
    throw new ProfileError(`${what}: ${message}`);
  };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return fail(`not JSON (${(e as Error).message.slice(0, 200)})`);
  }
  const o = v as { calls?: unknown; functions?: unknown };
  if (typeof o !== 'object' || o === null) return fail('expected a JSON object with calls and functions');
  if (typeof o.calls !== 'number' || !Number.isSafeInteger(o.calls) || o.calls < 1)
    fail(
      `'calls' must be a whole number ≥ 1 (did the test call the benchmark fixture?), got ${JSON.stringify(o.calls)}`,
    );
  if (!Array.isArray(o.functions) || o.functions.length > MAX_CPROFILE_FUNCTIONS)
    fail(`'functions' must be an array of at most ${MAX_CPROFILE_FUNCTIONS}`);
  const calls = o.calls as number;
  const self = (o.functions as unknown[]).map((f, i) => {
    const x = f as Record<string, unknown>;
    if (
      typeof x !== 'object' ||
      x === null ||
      typeof x.file !== 'string' ||
      typeof x.function !== 'string' ||
      typeof x.line !== 'number' ||
      !Number.isSafeInteger(x.line) ||
      x.line < 0 ||
      typeof x.tottime !== 'number' ||
      !(x.tottime >= 0)
    )
      return fail(`'functions[${i}]' must have a file, a line ≥ 0, a function and tottime ≥ 0`);
    // cProfile names built-ins with the file '~'.
    const builtin = x.file === '~';
    return {
      function: (x.function as string).slice(0, 500),
      file: builtin ? '' : checkoutPath((x.file as string).slice(0, 2000), side.root),
      line: builtin ? 0 : (x.line as number),
      msPerCall: ((x.tottime as number) * 1000) / calls,
    };
  });
  return { calls, self };
}

/** Runs the pytest command once with the cProfile plugin; the plugin's JSON, and the pstats file written to `prof`. */
async function underCProfile(
  commandLine: string,
  o: { cwd: string; own: string; prof: string; timeoutMs: number; what: string },
): Promise<string> {
  const pluginDir = mkdtempSync(join(tmpdir(), 'benchgate-cprofile-'));
  try {
    writeFileSync(join(pluginDir, `${CPROFILE_MODULE}.py`), CPROFILE_PLUGIN);
    const out = join(pluginDir, 'profile.json');
    const inherited = process.env.PYTHONPATH;
    const r = await execShell(commandLine, {
      cwd: o.cwd,
      timeoutMs: Math.max(1, o.timeoutMs),
      env: {
        PYTHONPATH: inherited ? `${pluginDir}${delimiter}${inherited}` : pluginDir,
        BENCHGATE_CPROFILE_OUT: out,
        BENCHGATE_CPROFILE_TEST: o.own,
      },
    });
    if (r.killed !== null)
      throw new ProfileError(
        r.killed.startsWith('timed out')
          ? `the profile budget ran out while profiling ${o.what}`
          : `profiling ${o.what} ${r.killed}`,
      );
    let text: string;
    try {
      text = readFileSync(out, 'utf8');
    } catch {
      const said = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-3).join(' ').slice(0, 500);
      throw new ProfileError(
        `cProfile wrote no profile of ${o.what}: the test did not run or did not use the benchmark fixture (exit ${r.code})${said ? `: ${said}` : ''}`,
      );
    }
    copyFileSync(`${out}.prof`, o.prof);
    return text;
  } finally {
    rmSync(pluginDir, { recursive: true, force: true });
  }
}

/** One revision's profile of one harness benchmark: self times or own instructions per call, and its file. */
export type HarnessSideProfile =
  | { unit: 'ms'; profiler: string; self: SelfTime[]; calls: number; file: string }
  | { unit: 'instructions'; profiler: typeof CALLGRIND; counts: SelfCount[]; calls: number; file: string };

/** A plan that can run. */
export type RunnablePlan = Exclude<HarnessProfilePlan, { missing: string }>;

/** The seconds of Go iterations one side gets when `secondsLeft` are left for `sides` sides. */
export function goSideSeconds(secondsLeft: number, sides: 1 | 2): number {
  return Math.min(GO_PROFILE_SECONDS, (secondsLeft - sides * GO_STARTUP_SECONDS) / sides);
}

/**
 * Runs benchmark `own` once on one revision under its plan's profiler, writing the profile to
 * `dir` (its name in the result's `file`): callgrind's output, cProfile's `.prof`, Go's `.pprof`
 * or vitest's `.cpuprofile`. Go runs `goIterations` iterations. A ProfileError says why it could not.
 */
export async function profileHarnessSide(
  plan: RunnablePlan,
  own: string,
  side: HarnessProfileSide & { cwd: string },
  o: {
    dir: string;
    timeoutMs: number;
    secondsLeft: () => number;
    what: string;
    goIterations: number;
    /** Sample a callgrind plan's command with perf instead ({@link profilerChoice}). */
    viaPerf?: boolean;
  },
): Promise<HarnessSideProfile> {
  const { dir, timeoutMs, what } = o;
  const cwd = side.cwd;
  if (plan.profiler === 'cProfile') {
    const file = `${side.side}.prof`;
    const text = await underCProfile(plan.commandLine, { cwd, own, prof: join(dir, file), timeoutMs, what });
    const { self, calls } = readCProfile(text, side, `the cProfile of ${what}`);
    return { unit: 'ms', profiler: 'cProfile', self, calls, file };
  }
  if (plan.profiler === GO_PROFILER) {
    const file = `${side.side}.pprof`;
    const { counts, calls } = await profileGoSide(plan.target, {
      side,
      pprof: resolve(dir, file),
      iterations: o.goIterations,
      timeoutMs,
      secondsLeft: o.secondsLeft,
      what,
    });
    return { unit: 'ms', profiler: GO_PROFILER, self: goSelfTimes(counts), calls, file };
  }
  if (plan.profiler === VITEST_PROFILER) {
    const file = `${side.side}.cpuprofile`;
    const { self, calls } = await profileVitestSide(plan.command, plan.target, {
      side,
      cpuprofile: resolve(dir, file),
      timeoutMs,
      what,
    });
    return { unit: 'ms', profiler: VITEST_PROFILER, self, calls, file };
  }
  if (o.viaPerf === true) {
    const file = `${side.side}.perf.data`;
    const stderr = await underPerf(plan.commandLine, join(dir, file), { cwd, timeoutMs, what });
    const calls = plan.callsOf(stderr);
    if (calls === null) throw new ProfileError(`profiling ${what}: the harness did not say how many calls it ran`);
    const self = await perfSelfTimes(join(dir, file), calls, side.root, o.secondsLeft() * 1000, what, isProgram);
    if (self.length === 0) throw new ProfileError(`perf sampled none of the program's own functions for ${what}`);
    return { unit: 'ms', profiler: PERF_PROFILER, self, calls, file };
  }
  const stderr = await underCallgrind(plan.commandLine, { cwd, dir, side: side.side, timeoutMs, what });
  const calls = plan.callsOf(stderr);
  if (calls === null) throw new ProfileError(`profiling ${what}: the harness did not say how many calls it ran`);
  const { files, counts } = sideInstructions(dir, side, calls, what);
  return { unit: 'instructions', profiler: CALLGRIND, counts, calls, file: files[0] as string };
}

/** What the comment calls perf's sampling of a harness's command. */
export const PERF_PROFILER = 'perf';

/**
 * How many times slower a program runs under callgrind than alone, for choosing between the two:
 * 20–50 times on the kernels measured (docs/method/profiles.md), the slow end taken.
 */
export const CALLGRIND_SLOWDOWN = 50;

/**
 * Whether `plan`'s profiler can run here, and for a callgrind plan whether perf samples the
 * benchmark instead: when callgrind is missing, or when `sides` runs of it under callgrind
 * ({@link CALLGRIND_SLOWDOWN} times its measured time per call) would not fit in `secondsLeft`;
 * and only where perf can record. The reason when nothing can profile it.
 */
export async function profilerChoice(
  plan: RunnablePlan,
  secondsPerCall: number | null,
  secondsLeft: number,
  sides: 1 | 2,
): Promise<{ viaPerf: boolean } | { missing: string }> {
  if (plan.profiler === GO_PROFILER) {
    const missing = goMissing();
    return missing === null ? { viaPerf: false } : { missing };
  }
  if (plan.profiler !== 'callgrind') return { viaPerf: false };
  const noCallgrind = callgrindMissing();
  const tooSlow = secondsPerCall !== null && sides * secondsPerCall * CALLGRIND_SLOWDOWN > secondsLeft;
  if (noCallgrind === null && !tooSlow) return { viaPerf: false };
  const noPerf = await perfUnavailable();
  if (noPerf === null) return { viaPerf: true };
  // Callgrind is there but slow: try it, and let the budget say when it ran out.
  if (noCallgrind === null) return { viaPerf: false };
  return { missing: `${noCallgrind}, and ${noPerf}` };
}

/** Options of a harness profile pass. */
export interface HarnessProfileOptions {
  budgetSeconds: number;
  /** Folder the reports are written to: the profiles go in its `benchgate-profiles/`. */
  folder: string;
  onStatus?: (line: string) => void;
}

/**
 * Profiles the regressions among `benchmarks` under their harness's profiler on both sides,
 * largest time regression first, while the budget lasts; `entryOf` gives a benchmark's harness
 * entry and its own name. Returns the benchmarks with `countProfile` (callgrind) or `profile`
 * (cProfile, Go's, V8's in vitest) set on each regression (a note naming what was missing where it
 * could not be profiled) and a summary (null when nothing regressed).
 */
export async function profileHarnessRegressions(
  benchmarks: BenchmarkResult[],
  sides: { base: HarnessProfileSide; head: HarnessProfileSide },
  entryOf: (name: string) => { entry: HarnessEntry; own: string } | null,
  o: HarnessProfileOptions,
): Promise<{ benchmarks: BenchmarkResult[]; summary: ProfilePassSummary | null }> {
  const regressions = benchmarks.filter(isRegression).sort(largestFirst);
  if (regressions.length === 0) return { benchmarks, summary: null };
  const { secondsLeft, summary, stop } = passClock(o.budgetSeconds);
  const profiles = new Map<string, CountProfile>();
  const timeProfiles = new Map<string, BenchmarkProfile>();
  const folders = new Set<string>();
  for (const b of regressions) {
    const t0 = Date.now();
    const took = () => Math.round((Date.now() - t0) / 100) / 10;
    const target = entryOf(b.name);
    const plan: HarnessProfilePlan = target
      ? harnessProfilePlan(target.entry, target.own)
      : { missing: 'its harness is not known' };
    let viaPerf = false;
    const note = (why: string) => {
      const text = `not profiled: ${why}`;
      if ('profiler' in plan && (plan.profiler !== 'callgrind' || viaPerf))
        timeProfiles.set(b.name, {
          top: [],
          files: null,
          seconds: took(),
          note: text,
          profiler: viaPerf ? PERF_PROFILER : plan.profiler,
        });
      else
        profiles.set(b.name, {
          unit: 'instructions',
          profiler: CALLGRIND,
          top: [],
          files: null,
          seconds: took(),
          note: text,
        });
      summary.notProfiled.push({ name: b.name, reason: text });
      o.onStatus?.(`${b.name}: ${text}`);
    };
    if ('missing' in plan) {
      note(plan.missing);
      continue;
    }
    const choice = await profilerChoice(plan, b.state === 'completed' ? b.medianSeconds : null, secondsLeft(), 2);
    if ('missing' in choice) {
      note(choice.missing);
      continue;
    }
    viaPerf = choice.viaPerf;
    if (secondsLeft() < 1) {
      note(`${Math.max(0, secondsLeft()).toFixed(1)} s of the profile budget (${o.budgetSeconds} s) were left`);
      continue;
    }
    const folder = newProfileFolder(o.folder, b.name, folders);
    const dir = join(o.folder, folder);
    o.onStatus?.(`profiling ${b.name} under ${plan.profiler} (base, then head)`);
    try {
      if (plan.profiler === GO_PROFILER || plan.profiler === VITEST_PROFILER) {
        const cwdOf = (side: HarnessProfileSide) => ({
          ...side,
          cwd: join(side.root, target!.entry.cwd ?? side.within),
        });
        const on = {
          sides: { base: cwdOf(sides.base), head: cwdOf(sides.head) },
          dir,
          secondsLeft,
          budgetSeconds: o.budgetSeconds,
          what: b.name,
        };
        const { top, tree } =
          plan.profiler === GO_PROFILER
            ? {
                ...(await profileGoBenchmark(plan.target, {
                  ...on,
                  secondsPerCall: b.state === 'completed' ? b.medianSeconds : null,
                })),
                tree: undefined,
              }
            : await profileVitestBenchmark(plan.target, { ...on, command: plan.command });
        summary.profiled.push(b.name);
        const extension = plan.profiler === GO_PROFILER ? 'pprof' : 'cpuprofile';
        const files = {
          base: `${folder}/base.${extension}`.split('\\').join('/'),
          head: `${folder}/head.${extension}`.split('\\').join('/'),
        };
        timeProfiles.set(b.name, { top, files, seconds: took(), profiler: plan.profiler, ...(tree ? { tree } : {}) });
        o.onStatus?.(`${b.name}: ${grewMost(top[0], 'ms') ?? 'no function grew'} · profiles in ${dir}`);
        continue;
      }
      const callgrind = {} as Record<Side, SelfCount[]>;
      const times = {} as Record<Side, SelfTime[]>;
      const written = {} as Record<Side, string>;
      for (const side of [sides.base, sides.head]) {
        const p = await profileHarnessSide(
          plan,
          target!.own,
          { ...side, cwd: join(side.root, target!.entry.cwd ?? side.within) },
          {
            dir,
            // The base may take half of what is left, so that the head has as long.
            timeoutMs: (side.side === 'base' ? secondsLeft() / 2 : secondsLeft()) * 1000,
            secondsLeft,
            what: `the ${side.side} of ${b.name}`,
            goIterations: 1,
            viaPerf,
          },
        );
        written[side.side] = p.file;
        if (p.unit === 'ms') times[side.side] = p.self;
        else callgrind[side.side] = p.counts;
      }
      summary.profiled.push(b.name);
      const fileOf = (s: Side) => `${folder}/${written[s]}`.split('\\').join('/');
      if (plan.profiler === 'cProfile' || viaPerf) {
        // perf samples one run a side: its shares, scaled to what the rounds measured, as for suite modules.
        const measured = viaPerf ? measuredPerCall(b) : { base: null, head: null };
        const top = differential(
          scaled(times.base, toMeasured(times.base, measured.base)),
          scaled(times.head, toMeasured(times.head, measured.head)),
        );
        const files = { base: fileOf('base'), head: fileOf('head') };
        timeProfiles.set(b.name, { top, files, seconds: took(), profiler: viaPerf ? PERF_PROFILER : 'cProfile' });
        o.onStatus?.(`${b.name}: ${grewMost(top[0], 'ms') ?? 'no function grew'} · profiles in ${dir}`);
        continue;
      }
      const top = countDifferential(callgrind.base, callgrind.head, { minShare: CALLGRIND_MIN_SHARE });
      profiles.set(b.name, {
        unit: 'instructions',
        profiler: CALLGRIND,
        top,
        files: { base: fileOf('base'), head: fileOf('head') },
        seconds: took(),
      });
      o.onStatus?.(`${b.name}: ${grewMost(top[0], 'instructions') ?? 'no function grew'} · profiles in ${dir}`);
    } catch (e) {
      note((e as Error).message);
    }
  }
  stop();
  return {
    benchmarks: benchmarks.map((b) => {
      const countProfile = profiles.get(b.name);
      const profile = timeProfiles.get(b.name);
      return countProfile ? { ...b, countProfile } : profile ? { ...b, profile } : b;
    }),
    summary,
  };
}
