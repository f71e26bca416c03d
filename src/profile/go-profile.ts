/**
 * Differential profiles of `go test -bench` benchmarks under Go's own CPU profiler: the benchmark
 * runs alone in its package (`go test -run '^$' -bench <its name> -cpuprofile`) for the same fixed
 * number of iterations on the base and the head, and `go tool pprof -raw` reads each profile (no
 * protobuf decoding here). Each function's own (flat) CPU time is divided by the iterations the
 * benchmark ran; the differential is the functions whose own time per iteration grew most, each
 * at the line of it where its time grew most. The `.pprof` files (`go tool pprof`, speedscope)
 * are kept.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { childEnv } from '../child-env.js';
import { shellQuote } from '../harness/adapter.js';
import { execShell } from '../harness/exec.js';
import { goBenchPattern } from '../harness/go.js';
import type { ProfileLine, Side } from '../model.js';
import { ProfileError } from './cpu-profile.js';
import { byFunction, differential, type SelfCount, type SelfTime } from './differential.js';

/** What the comment calls this profiler. */
export const GO_PROFILER = 'pprof';

/** Seconds of iterations per side, at the head's pace, when the budget allows (Go samples 100 times a second). */
export const GO_PROFILE_SECONDS = 2;
/** The fewest seconds of iterations worth taking (some 50 samples). */
export const GO_MIN_PROFILE_SECONDS = 0.5;
/** Seconds a side is assumed to take besides its iterations: building and linking the test binary, reading the profile. */
export const GO_STARTUP_SECONDS = 1.5;
/** Most iterations asked for, whatever the measured time per call says. */
const MAX_ITERATIONS = 1e9;

/** A top-level benchmark function's name, as `go test` finds them (the same rule as src/harness/go.ts). */
const BENCHMARK_FUNC = /^Benchmark(?!\p{Ll})[\p{L}\p{N}_]*$/u;

/** Where a `go` harness benchmark lives and how to run it alone. */
export interface GoBenchmarkTarget {
  /** The package's import path. */
  importPath: string;
  /** Go's name of the benchmark (`BenchmarkX/sub`), as its result line prints it without the GOMAXPROCS suffix. */
  name: string;
  /** The `-bench` pattern that runs it (src/harness/go.ts). */
  pattern: string;
}

/**
 * The package and Go name of a `go` harness benchmark from its name without the harness's prefix
 * (`<import path>/BenchmarkX/sub`), or null when it has no import path before a Benchmark function.
 */
export function goBenchmarkTarget(own: string): GoBenchmarkTarget | null {
  const levels = own.split('/');
  const at = levels.findIndex((level, i) => i > 0 && BENCHMARK_FUNC.test(level));
  const pattern = goBenchPattern([own]);
  if (at < 0 || pattern === null) return null;
  return { importPath: levels.slice(0, at).join('/'), name: levels.slice(at).join('/'), pattern };
}

/** Why Go's CPU profiler cannot run here, or null when it can. */
export function goMissing(env: NodeJS.ProcessEnv = process.env): string | null {
  const r = spawnSync('go', ['version'], { stdio: 'ignore', env: childEnv(env), timeout: 30_000 });
  return r.status === 0 ? null : `${GO_PROFILER} was not found: go is not on PATH`;
}

/**
 * The iterations to profile on both sides: `seconds` at the head's measured time per call, two at
 * least (with `-benchtime=1x` Go reports the single calibration call, see {@link goProfiledCalls}).
 */
export function goIterations(secondsPerCall: number | null, seconds: number): number {
  const perCall = secondsPerCall !== null && secondsPerCall > 0 ? secondsPerCall : 1e-9;
  return Math.max(2, Math.min(MAX_ITERATIONS, Math.round(seconds / perCall)));
}

/**
 * The iterations `go test -bench` reports for `target` in its stdout: the sum over its result
 * lines (`BenchmarkX-2   1000   1234 ns/op`; the `-<GOMAXPROCS>` suffix is optional), or null when
 * none was printed (the benchmark failed, was skipped or was not found).
 */
export function goIterationsRun(stdout: string, target: GoBenchmarkTarget): number | null {
  const names = new Set([target.name, target.name.replace(/-\d+$/, '')]);
  let iterations: number | null = null;
  for (const line of stdout.split('\n')) {
    const m = /^(\S+)\s+(\d{1,15})\s+\S+ ns\/op(\s|$)/.exec(line);
    if (!m) continue;
    const printed = m[1] ?? '';
    if (names.has(printed) || names.has(printed.replace(/-\d+$/, ''))) iterations = (iterations ?? 0) + Number(m[2]);
  }
  return iterations;
}

/**
 * The calls a CPU profile of `iterations` (a `-benchtime=<n>x` run) covers: Go first runs every
 * benchmark once with b.N = 1, then once with b.N = n, and the profile holds both.
 */
export function goProfiledCalls(iterations: number): number {
  return iterations > 1 ? iterations + 1 : iterations;
}

/** One frame of a pprof location: a function at a line of its file. */
interface PprofFrame {
  function: string;
  file: string;
  line: number;
}

/** What `go tool pprof -raw` prints of a CPU profile, as far as the differential needs it. */
export interface PprofRaw {
  /** Each sample's CPU nanoseconds and its locations, the innermost first. */
  samples: { nanoseconds: number; locations: number[] }[];
  /** Each location's frames, the innermost (inlined) function first; empty when pprof knows no symbol. */
  locations: Map<number, PprofFrame[]>;
}

/** Most samples and locations read from one profile. */
const MAX_ENTRIES = 5_000_000;

/**
 * Reads the text `go tool pprof -raw` prints of a CPU profile (google/pprof's `Profile.String`):
 * the `samples/count cpu/nanoseconds` samples and the `Locations` with their frames.
 */
export function parsePprofRaw(text: string, what: string): PprofRaw {
  const fail = (message: string): never => {
    throw new ProfileError(`${what}: ${message}`);
  };
  const lines = text.split(/\r?\n/);
  const samples: PprofRaw['samples'] = [];
  const locations = new Map<number, PprofFrame[]>();
  let section: 'header' | 'types' | 'samples' | 'locations' | 'rest' = 'header';
  let nanosAt = -1;
  let current: PprofFrame[] | null = null;
  /** One frame as Profile.String prints it: `name file:line s=start`, then `(system name)` when it differs. */
  const frameOf = (s: string, lineNo: number): PprofFrame | null => {
    if (s.trim() === '??' || s.trim() === '') return null;
    const m = /^(.+?) (.*):(\d{1,9}) s=-?\d{1,9}(?:\(.*\))?$/.exec(s);
    if (!m) return fail(`line ${lineNo} is not a frame like 'pkg.F /path/f.go:12 s=0': ${s.slice(0, 120)}`);
    return { function: (m[1] ?? '').slice(0, 500), file: (m[2] ?? '').slice(0, 2000), line: Number(m[3]) };
  };
  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const line = raw.trimEnd();
    if (section === 'header') {
      if (line === 'Samples:') section = 'types';
      return;
    }
    if (section === 'types') {
      const types = line.trim().split(/\s+/);
      nanosAt = types.indexOf('cpu/nanoseconds');
      if (nanosAt < 0) fail(`line ${lineNo}: no cpu/nanoseconds among the sample types '${line.slice(0, 120)}'`);
      section = 'samples';
      return;
    }
    if (section === 'samples') {
      if (line === 'Locations') {
        section = 'locations';
        return;
      }
      const m = /^\s*(\d+(?:\s+\d+)*):((?:\s+\d+)*)\s*$/.exec(line);
      // Other indented lines in this section are a sample's labels.
      if (!m) return /^\s+\S/.test(line) || line === '' ? undefined : fail(`line ${lineNo} is not a sample`);
      const values = (m[1] ?? '').split(/\s+/).map(Number);
      const nanoseconds = values[nanosAt];
      if (nanoseconds === undefined || !Number.isSafeInteger(nanoseconds))
        fail(`line ${lineNo}: a sample without its cpu/nanoseconds value`);
      if (samples.length >= MAX_ENTRIES) fail(`more than ${MAX_ENTRIES} samples`);
      samples.push({
        nanoseconds: nanoseconds as number,
        locations: (m[2] ?? '').trim().split(/\s+/).filter(Boolean).map(Number),
      });
      return;
    }
    if (section === 'locations') {
      if (line === 'Mappings') {
        section = 'rest';
        return;
      }
      const m = /^\s*(\d+): 0x[0-9a-f]+(?: M=\d+)?(?: \[F\])?(?: (.*))?$/.exec(line);
      if (m) {
        if (locations.size >= MAX_ENTRIES) fail(`more than ${MAX_ENTRIES} locations`);
        const frames: PprofFrame[] = [];
        const frame = frameOf(m[2] ?? '', lineNo);
        if (frame !== null) frames.push(frame);
        locations.set(Number(m[1]), frames);
        current = frames;
        return;
      }
      if (/^\s+\S/.test(line) && current !== null) {
        const frame = frameOf(line.trim(), lineNo);
        if (frame !== null) current.push(frame);
        return;
      }
      if (line !== '') fail(`line ${lineNo} is not a location: ${line.slice(0, 120)}`);
    }
  });
  if (section === 'header' || section === 'types')
    fail('no Samples section (is this the output of go tool pprof -raw of a CPU profile?)');
  for (const s of samples)
    for (const id of s.locations) if (!locations.has(id)) fail(`a sample names location ${id}, which is not listed`);
  return { samples, locations };
}

/** A path shown relative to `root` when inside it, with `/` separators. */
function shown(path: string, root: string): string {
  if (!isAbsolute(path)) return path.split(sep).join('/');
  const rel = relative(root, path);
  return (rel.startsWith('..') || isAbsolute(rel) ? path : rel).split(sep).join('/');
}

/**
 * Each function's own CPU time per call at each of its lines, in nanoseconds: a sample's time goes
 * to the innermost frame of its first location (an inlined function's own line). Files are named
 * relative to `root`; a location without a symbol is `(unknown)`. Largest first.
 */
export function pprofSelfTimes(raw: PprofRaw, calls: number, root: string): SelfCount[] {
  const unknown: PprofFrame = { function: '(unknown)', file: '', line: 0 };
  return byFunction(
    raw.samples.flatMap((s) => {
      const id = s.locations[0];
      if (id === undefined || s.nanoseconds === 0) return [];
      const frame = raw.locations.get(id)?.[0] ?? unknown;
      const file = frame.file === '' ? '' : shown(frame.file, root);
      return [{ function: frame.function, file, line: frame.line, perCall: s.nanoseconds / Math.max(1, calls) }];
    }),
  );
}

/**
 * The functions whose own time per call grew most from `base` to `head` (line by line, in
 * nanoseconds, from {@link pprofSelfTimes}), through ./differential.ts: each function (name and
 * file) is summed over its lines on each side and named at the line where its time grew most.
 */
export function goDifferential(base: SelfCount[], head: SelfCount[]): ProfileLine[] {
  const key = (c: SelfCount) => JSON.stringify([c.function, c.file]);
  /** Per function, each line's growth (head − base), and the head's time there to break ties. */
  const growth = new Map<string, Map<number, { delta: number; head: number }>>();
  const at = (c: SelfCount) => {
    const lines = growth.get(key(c)) ?? growth.set(key(c), new Map()).get(key(c))!;
    return lines.get(c.line) ?? lines.set(c.line, { delta: 0, head: 0 }).get(c.line)!;
  };
  for (const c of base) at(c).delta -= c.perCall;
  for (const c of head) {
    at(c).delta += c.perCall;
    at(c).head += c.perCall;
  }
  const lineOf = new Map(
    [...growth].map(([k, lines]) => [
      k,
      [...lines].sort(([la, a], [lb, b]) => b.delta - a.delta || b.head - a.head || la - lb)[0]?.[0] ?? 0,
    ]),
  );
  const times = (side: SelfCount[]): SelfTime[] =>
    byFunction(side.map((c) => ({ ...c, line: lineOf.get(key(c)) ?? c.line }))).map((c) => ({
      function: c.function,
      file: c.file,
      line: c.line,
      msPerCall: c.perCall / 1e6,
    }));
  return differential(times(base), times(head));
}

/** One side's checkout and the folder its harness ran in. */
export interface GoProfileSide {
  side: Side;
  root: string;
  cwd: string;
}

/**
 * Runs `target` once under Go's CPU profiler in `cwd` for `iterations`, writing the profile to
 * `pprof` (the test binary goes to a temporary folder, not the checkout); the calls it covers.
 */
async function underGoProfiler(
  target: GoBenchmarkTarget,
  o: { cwd: string; pprof: string; iterations: number; timeoutMs: number; what: string },
): Promise<number> {
  const binDir = mkdtempSync(join(tmpdir(), 'benchgate-go-profile-'));
  try {
    const args = [
      'test',
      '-run',
      '^$',
      '-bench',
      target.pattern,
      `-benchtime=${o.iterations}x`,
      '-count=1',
      `-cpuprofile=${o.pprof}`,
      '-o',
      join(binDir, 'benchmark.test'),
      target.importPath,
    ];
    const r = await execShell(`go ${args.map(shellQuote).join(' ')}`, {
      cwd: o.cwd,
      timeoutMs: Math.max(1, o.timeoutMs),
    });
    if (r.killed !== null)
      throw new ProfileError(
        r.killed.startsWith('timed out')
          ? `the profile budget ran out while profiling ${o.what}`
          : `profiling ${o.what} ${r.killed}`,
      );
    const iterations = goIterationsRun(r.stdout, target);
    if (r.code !== 0 || iterations === null) {
      const said = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-3).join(' ').slice(0, 500);
      throw new ProfileError(
        `go test -cpuprofile ran no ${target.name} in ${target.importPath} for ${o.what} (exit ${r.code})${said ? `: ${said}` : ''}`,
      );
    }
    return goProfiledCalls(iterations);
  } finally {
    rmSync(binDir, { recursive: true, force: true });
  }
}

/** What `go tool pprof -raw` prints of the profile `pprof`. */
async function pprofRaw(pprof: string, o: { cwd: string; timeoutMs: number; what: string }): Promise<string> {
  const r = await execShell(`go tool pprof -raw ${shellQuote(pprof)}`, {
    cwd: o.cwd,
    timeoutMs: Math.max(1, o.timeoutMs),
  });
  if (r.killed !== null)
    throw new ProfileError(
      r.killed.startsWith('timed out')
        ? `the profile budget ran out while reading the profile of ${o.what}`
        : `go tool pprof ${r.killed}`,
    );
  if (r.code !== 0)
    throw new ProfileError(
      `go tool pprof could not read the profile of ${o.what} (exit ${r.code}): ${r.stderr.trim().slice(0, 500)}`,
    );
  return r.stdout;
}

/**
 * Profiles one side of `target` for `iterations` under Go's CPU profiler, writing the profile to
 * `pprof`; its own nanoseconds per call by function and line ({@link pprofSelfTimes}) and the
 * calls they cover.
 */
export async function profileGoSide(
  target: GoBenchmarkTarget,
  o: {
    side: GoProfileSide;
    pprof: string;
    iterations: number;
    timeoutMs: number;
    secondsLeft: () => number;
    what: string;
  },
): Promise<{ counts: SelfCount[]; calls: number }> {
  const { side, what } = o;
  const calls = await underGoProfiler(target, {
    cwd: side.cwd,
    pprof: o.pprof,
    iterations: o.iterations,
    timeoutMs: o.timeoutMs,
    what,
  });
  const text = await pprofRaw(o.pprof, { cwd: side.cwd, timeoutMs: o.secondsLeft() * 1000, what });
  return { counts: pprofSelfTimes(parsePprofRaw(text, `the CPU profile of ${what}`), calls, side.root), calls };
}

/**
 * One side's own time per call by function ({@link pprofSelfTimes}' lines added up), in
 * milliseconds, each function named at the line where it spent most: what a kept profile holds
 * and a head profile is compared in.
 */
export function goSelfTimes(counts: readonly SelfCount[]): SelfTime[] {
  const key = (c: SelfCount) => JSON.stringify([c.function, c.file]);
  const top = new Map<string, SelfCount>();
  for (const c of counts) {
    const t = top.get(key(c));
    if (t === undefined || c.perCall > t.perCall) top.set(key(c), c);
  }
  return byFunction(counts.map((c) => ({ ...c, line: top.get(key(c))?.line ?? c.line }))).map((c) => ({
    function: c.function,
    file: c.file,
    line: c.line,
    msPerCall: c.perCall / 1e6,
  }));
}

/**
 * Profiles `target` on the base and then the head, the same iterations on each (about
 * {@link GO_PROFILE_SECONDS} at the head's measured `secondsPerCall`, fewer when the budget is
 * short), writing `base.pprof` and `head.pprof` to `dir`; the differential. A ProfileError says
 * why it could not.
 */
export async function profileGoBenchmark(
  target: GoBenchmarkTarget,
  o: {
    sides: { base: GoProfileSide; head: GoProfileSide };
    dir: string;
    secondsPerCall: number | null;
    secondsLeft: () => number;
    budgetSeconds: number;
    what: string;
  },
): Promise<{ top: ProfileLine[]; iterations: number }> {
  const seconds = Math.min(GO_PROFILE_SECONDS, (o.secondsLeft() - 2 * GO_STARTUP_SECONDS) / 2);
  if (seconds < GO_MIN_PROFILE_SECONDS)
    throw new ProfileError(
      `${Math.max(0, o.secondsLeft()).toFixed(1)} s of the profile budget (${o.budgetSeconds} s) were left, a Go profile of both sides takes about ${2 * (GO_STARTUP_SECONDS + GO_MIN_PROFILE_SECONDS)} s at least`,
    );
  const iterations = goIterations(o.secondsPerCall, seconds);
  const self = {} as Record<Side, SelfCount[]>;
  for (const side of [o.sides.base, o.sides.head]) {
    // The base may take half of what is left, so that the head has as long.
    const timeoutMs = (side.side === 'base' ? o.secondsLeft() / 2 : o.secondsLeft()) * 1000;
    self[side.side] = (
      await profileGoSide(target, {
        side,
        pprof: resolve(o.dir, `${side.side}.pprof`),
        iterations,
        timeoutMs,
        secondsLeft: o.secondsLeft,
        what: `the ${side.side} of ${o.what}`,
      })
    ).counts;
  }
  return { top: goDifferential(self.base, self.head), iterations };
}
