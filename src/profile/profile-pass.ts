/**
 * Differential profiles of the regressions, after a comparison's verdicts and outside its
 * measured rounds: each regressed benchmark is profiled on the base and then the head, each in a
 * fresh Node process (./profile-worker.ts) calling the case for {@link PROFILE_SECONDS}, within a
 * total budget of seconds: under V8's CPU profiler when its time (or a measure other than memory)
 * regressed, under V8's sampling heap profiler when `allocated` or `peak-memory` did. The
 * `.cpuprofile` and `.heapprofile` files are written under `benchgate-profiles/<benchmark>/` in the
 * reports' folder, and the result carries the functions whose self time, or bytes allocated, per
 * call grew most (./differential.ts). Where Linux perf can record, each CPU-profiling process also
 * runs under `perf record` (./perf-record.ts), and the time V8 saw in native frames is broken down
 * into the addons' C++ functions (./native-frames.ts). Each CPU differential also carries the
 * call tree of both sides merged (./call-tree.ts), which keeps to V8's frames.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { childEnv } from '../child-env.js';
import { EXIT_SKIPPED } from '../measure/protocol.js';
import type {
  BenchmarkProfile,
  BenchmarkResult,
  CountLine,
  CountProfile,
  Profile,
  ProfileLine,
  Side,
} from '../model.js';
import { differentialTree, type TreeSide } from './call-tree.js';
import { parseCpuProfile, ProfileError, type CallFrame, type CpuProfile } from './cpu-profile.js';
import {
  byFunction,
  countDifferential,
  differential,
  scaled,
  selfTimes,
  toMeasured,
  type SelfCount,
  type SelfTime,
} from './differential.js';
import { parseHeapProfile } from './heap-profile.js';
import { perfSelfTimes, withAddonFunctions } from './native-frames.js';
import {
  newRecording,
  PERF,
  perfRecordArgs,
  perfUnavailable,
  removeRecording,
  type PerfRecording,
} from './perf-record.js';
import type { ProfileJob } from './profile-job.js';
import { SourceResolver, type Place } from './source-map.js';

/** The compiled script each profiling process runs. */
export const PROFILE_SCRIPT = fileURLToPath(new URL('./profile-worker.js', import.meta.url));

const OWN_SCRIPT_URL = pathToFileURL(PROFILE_SCRIPT).href;

/** Seconds of profiled calls per side, when the budget allows. */
export const PROFILE_SECONDS = 1;
/** The fewest seconds of profiled calls worth taking (some 2,000 samples). */
export const MIN_PROFILE_SECONDS = 0.2;
/** Seconds of calls before the profiler starts. */
export const WARMUP_SECONDS = 0.25;
/** Calls profiled at least, however long they take. */
export const MIN_CALLS = 3;
/** V8's sampling interval, in microseconds. */
export const SAMPLING_INTERVAL_US = 100;
/** Seconds a process is assumed to take besides its calls (Node, the suite, setup) until one is measured. */
export const STARTUP_GUESS_SECONDS = 1;
/** The folder beside the reports that holds the profiles. */
export const PROFILES_FOLDER = 'benchgate-profiles';

/** One revision, as the profiling processes need it. */
export interface ProfileSide {
  side: Side;
  /** Suite module of this side (null: the built-in kernels). */
  suite: string | null;
  /** The process's working directory. */
  cwd: string;
  /** The side's checkout: files are named relative to it. */
  root: string;
  profile: Profile;
}

/** How a profile pass went, for the run's settings. */
export interface ProfilePassSummary {
  budgetSeconds: number;
  seconds: number;
  profiled: string[];
  notProfiled: { name: string; reason: string }[];
}

/** Regressions first by how much they regressed, largest first (a sort comparator). */
export const largestFirst = (a: BenchmarkResult, b: BenchmarkResult): number =>
  (b.verdict?.changePct ?? -Infinity) - (a.verdict?.changePct ?? -Infinity);

/** A profile pass's clock over its budget, and the summary it fills; `stop` records the seconds spent. */
export function passClock(budgetSeconds: number): {
  secondsLeft: () => number;
  summary: ProfilePassSummary;
  stop: () => ProfilePassSummary;
} {
  const started = Date.now();
  const deadline = started + budgetSeconds * 1000;
  const summary: ProfilePassSummary = { budgetSeconds, seconds: 0, profiled: [], notProfiled: [] };
  return {
    secondsLeft: () => (deadline - Date.now()) / 1000,
    summary,
    stop: () => {
      summary.seconds = Math.round((Date.now() - started) / 100) / 10;
      return summary;
    },
  };
}

/**
 * A status line's account of a differential's first line: `+1.23 ms/call in leaf (a.ts:3)`,
 * `+390 bytes/call allocated in …`, `+2720 instructions/call in …`; null when nothing grew.
 */
export function grewMost(
  first: ProfileLine | CountLine | undefined,
  unit: 'ms' | 'bytes' | 'instructions',
): string | null {
  if (first === undefined) return null;
  const at = `in ${first.function} (${first.file}:${first.line})`;
  if ('deltaMsPerCall' in first) return `+${first.deltaMsPerCall.toPrecision(3)} ms/call ${at}`;
  return `+${Math.round(first.deltaPerCall)} ${unit === 'bytes' ? 'bytes/call allocated' : 'instructions/call'} ${at}`;
}

/**
 * What the rounds measured per call, in milliseconds, for a profile to be scaled to: the base's
 * median, and the head's as the verdict estimated it from the paired rounds (the two sides'
 * medians can differ by more than the estimate's interval); null where unknown.
 */
export function measuredPerCall(b: BenchmarkResult): { base: number | null; head: number | null } {
  const base = b.baselineMedianSeconds === null ? null : b.baselineMedianSeconds * 1000;
  const change = b.verdict?.changePct ?? null;
  return { base, head: base === null || change === null ? null : base * (1 + change / 100) };
}

/** Whether a result is a regression worth profiling: its gated time, or any gated measure, regressed. */
export function isRegression(b: BenchmarkResult): boolean {
  if (b.presence !== 'both' || b.state !== 'completed') return false;
  return (
    (b.verdict?.kind === 'regressed' && b.gated !== false) ||
    b.measures.some((m) => m.gated && m.verdict?.kind === 'regressed')
  );
}

/** A benchmark name as a relative folder: each `/`-separated part in letters, digits, `.`, `_`, `-`. */
export function profileFolderOf(name: string): string {
  return name
    .split('/')
    .map((part) => part.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100))
    .map((part) => (part === '' || /^\.+$/.test(part) ? '_' : part))
    .slice(0, 8)
    .join('/');
}

/**
 * A benchmark's profile folder under `reportsFolder` (`benchgate-profiles/<benchmark>`, `-2`… when
 * two names map to one folder), made on disk and added to `taken`; relative to the reports' folder.
 */
export function newProfileFolder(reportsFolder: string, name: string, taken: Set<string>): string {
  let folder = join(PROFILES_FOLDER, profileFolderOf(name));
  for (let n = 2; taken.has(folder); n++) folder = join(PROFILES_FOLDER, `${profileFolderOf(name)}-${n}`);
  taken.add(folder);
  mkdirSync(join(reportsFolder, folder), { recursive: true });
  return folder;
}

/** One side's profile: where it went, calls profiled and seconds its process took. */
export interface SideRun {
  file: string;
  calls: number;
  seconds: number;
  /** Self time per call of the addons' native functions, where perf sampled the same calls. */
  native?: SelfTime[];
}

/**
 * Node's flags for a heap-profiling process. V8's sampling heap profiler names the physical frame
 * that allocated, so a function TurboFan inlined lends its allocations to its caller: a small, hot
 * kernel and what it calls were inlined into the profiling loop itself, and all their bytes went
 * to it (docs/method/profiles.md, "Inlined allocations"). Without inlining each function keeps
 * its own; the CPU profiler follows inlined frames and runs without this.
 */
export const HEAP_NODE_FLAGS = ['--no-turbo-inlining'];

/**
 * Runs one profiling process, under `perf record` when `perf` is given (the job then names its
 * control FIFOs); rejects with a message naming the side when it fails or overruns `timeoutMs`.
 */
export function profileSide(
  side: ProfileSide,
  job: ProfileJob,
  timeoutMs: number,
  name: string,
  perf?: PerfRecording,
): Promise<SideRun> {
  const started = Date.now();
  const what = `the ${side.side} of ${name}`;
  const command = [
    process.execPath,
    ...(job.kind === 'heap' ? HEAP_NODE_FLAGS : []),
    PROFILE_SCRIPT,
    JSON.stringify(job),
  ];
  return new Promise<SideRun>((resolve, reject) => {
    // Under perf, the process and perf form a group of their own, so that the timeout ends both.
    const child = spawn(perf ? PERF : process.execPath, perf ? perfRecordArgs(perf, command) : command.slice(1), {
      cwd: side.cwd,
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: perf !== undefined,
    });
    const kill = () => {
      try {
        if (perf && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-4000)));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const timer = setTimeout(kill, Math.max(1, timeoutMs));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new ProfileError(`the profiling process of ${what} did not start: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const said = stderr.trim().split('\n').slice(-3).join(' ').slice(0, 500);
      if (signal !== null)
        return reject(
          new ProfileError(
            signal === 'SIGKILL'
              ? `the profile budget ran out while profiling ${what}`
              : `profiling ${what} was killed (${signal})`,
          ),
        );
      if (code === EXIT_SKIPPED) return reject(new ProfileError(`${what} was skipped: ${said}`));
      if (code !== 0)
        return reject(new ProfileError(`profiling ${what} failed (exit ${code})${said ? `: ${said}` : ''}`));
      const last = stdout.trim().split('\n').at(-1) ?? '';
      let calls: unknown;
      try {
        calls = (JSON.parse(last) as { calls?: unknown }).calls;
      } catch {
        calls = undefined;
      }
      if (typeof calls !== 'number' || !Number.isSafeInteger(calls) || calls < 1)
        return reject(new ProfileError(`profiling ${what} did not say how many calls it profiled`));
      resolve({ file: job.out, calls, seconds: (Date.now() - started) / 1000 });
    });
  });
}

/**
 * Whether a frame is a native function called from JavaScript (an addon's, or Node's own C++
 * bindings): no script, no line, and not one of V8's parenthesised pseudo-frames. V8 does not
 * sample native stacks, and every N-API function shares one C++ entry point, which V8 names after
 * whichever was registered first, so the name says nothing: the caller does.
 */
export function isNativeFrame(f: CallFrame): boolean {
  return f.url === '' && f.lineNumber < 0 && !f.functionName.startsWith('(');
}

/** The nearest caller of node `id` that has a script, or null. */
function callerOf(profile: CpuProfile, id: number): CallFrame | null {
  for (let at = profile.parents.get(id), hops = 0; at !== undefined && hops < 1000; hops++) {
    const frame = profile.frames.get(at);
    if (frame !== undefined && frame.url !== '') return frame;
    at = profile.parents.get(at);
  }
  return null;
}

/** The text of one side's profile file; what it is named in errors. */
function readSideFile(run: SideRun, what: string): string {
  try {
    return readFileSync(run.file, 'utf8');
  } catch (e) {
    throw new ProfileError(`${what} was not written: ${(e as Error).message}`);
  }
}

/** One side's CPU profile, parsed, with the source maps of its checkout. */
export interface SideCpuProfile {
  profile: CpuProfile;
  resolver: SourceResolver;
}

/** Reads and parses one side's `.cpuprofile`, once for the differential and the call tree. */
export function loadSideProfile(run: SideRun, side: ProfileSide, name: string): SideCpuProfile {
  const what = `the ${side.side} profile of ${name} (${run.file})`;
  return { profile: parseCpuProfile(readSideFile(run, what), what), resolver: new SourceResolver(side.root) };
}

/** Self times per call of one side's profile, its functions named relative to the side's checkout. */
export function sideSelfTimes(
  run: SideRun,
  side: ProfileSide,
  name: string,
  { profile, resolver }: SideCpuProfile = loadSideProfile(run, side, name),
): SelfTime[] {
  const native = new Set<string>();
  const v8 = selfTimes(profile, run.calls, (id) => {
    const frame = profile.frames.get(id);
    // The profiling process's own loop is not the benchmark's.
    if (frame === undefined || frame.url === OWN_SCRIPT_URL) return null;
    if (!isNativeFrame(frame)) return resolver.place(frame);
    const caller = callerOf(profile, id);
    // The profiler's own stop message and the loop's clock are not the benchmark's either.
    if (caller?.url === OWN_SCRIPT_URL || caller?.url === 'node:inspector') return null;
    const at =
      caller === null
        ? { file: '', line: 0, function: frame.functionName }
        : { ...resolver.place(caller), function: `(native code, called from ${caller.functionName || '(anonymous)'})` };
    native.add(at.function);
    return at;
  });
  return run.native === undefined ? v8 : withAddonFunctions(v8, (f) => native.has(f.function), run.native);
}

/** One side's profile as the differential call tree reads it: V8's frames only, from the benchmark's call down. */
export function sideTreeInput(calls: number, { profile, resolver }: SideCpuProfile): TreeSide {
  return {
    profile,
    calls,
    place: (frame) => resolver.place(frame),
    isHarness: (frame) => frame.url === OWN_SCRIPT_URL,
  };
}

/** Whether a differential line is V8's undivided native time (no perf breakdown). */
const isNativeLine = (l: { function: string }): boolean => l.function.startsWith('(native code');

/** Self bytes allocated per call of one side's heap profile, functions named relative to the side's checkout. */
export function sideAllocations(run: SideRun, side: ProfileSide, name: string): SelfCount[] {
  const what = `the ${side.side} heap profile of ${name} (${run.file})`;
  const text = readSideFile(run, what);
  const resolver = new SourceResolver(side.root);
  const counts: SelfCount[] = [];
  for (const node of parseHeapProfile(text, what)) {
    const f = node.frame;
    if (node.selfSize <= 0 || f.url === OWN_SCRIPT_URL || NOT_FUNCTIONS.has(f.functionName)) continue;
    let at: Place & { function?: string };
    if (isNativeFrame(f)) {
      let caller = node.parent;
      while (caller !== null && caller.frame.url === '') caller = caller.parent;
      // The profiling loop's and the inspector's own allocations are not the benchmark's.
      if (caller?.frame.url === OWN_SCRIPT_URL || caller?.frame.url === 'node:inspector') continue;
      at =
        caller === null
          ? { file: '', line: 0 }
          : {
              ...resolver.place(caller.frame),
              function: `(native code, called from ${caller.frame.functionName || '(anonymous)'})`,
            };
    } else at = resolver.place(f);
    counts.push({
      function: at.function ?? (f.functionName === '' ? '(anonymous)' : f.functionName),
      file: at.file,
      line: at.line,
      perCall: node.selfSize / Math.max(1, run.calls),
    });
  }
  return byFunction(counts);
}

/** V8's bookkeeping frames, which are no function's own allocation. */
const NOT_FUNCTIONS = new Set(['(root)', '(idle)']);

/** Measures whose regression a heap profile explains: what the calls allocate and hold. */
export const MEMORY_MEASURES: ReadonlySet<string> = new Set(['allocated', 'peak-memory']);

/**
 * Which profiles a regression gets: the CPU profile when its time (or a measure other than
 * memory) regressed, the sampling heap profile when `allocated` or `peak-memory` did.
 */
export function profileKinds(b: BenchmarkResult): { cpu: boolean; heap: boolean } {
  const regressed = b.measures.filter((m) => m.gated && m.verdict?.kind === 'regressed');
  return {
    cpu:
      (b.verdict?.kind === 'regressed' && b.gated !== false) || regressed.some((m) => !MEMORY_MEASURES.has(m.measure)),
    heap: regressed.some((m) => MEMORY_MEASURES.has(m.measure)),
  };
}

/** Options of a profile pass. */
export interface ProfilePassOptions {
  /** Total seconds of profiling. */
  budgetSeconds: number;
  /** Folder the reports are written to: the profiles go in its `benchgate-profiles/`. */
  folder: string;
  onStatus?: (line: string) => void;
  /** Seconds of profiled calls per side ({@link PROFILE_SECONDS}). */
  seconds?: number;
  /** Whether CPU profiles are also recorded by Linux perf where it can record (default true). */
  perf?: boolean;
}

/** What a CPU profile is called when perf broke its native frames down. */
export const CPU_AND_PERF_PROFILER = 'V8 CPU profiler and perf';

/** The heap profiler's mean bytes between samples over the profiled second. */
export const HEAP_SAMPLING_BYTES = 8192;

/** What a heap profile is called in reports and notes. */
export const HEAP_PROFILER = 'V8 sampling heap profiler';

/**
 * Profiles the regressions among `benchmarks` on both sides, largest time regression first, while
 * the budget lasts; returns the benchmarks with `profile` (CPU) and `countProfile` (heap) set on
 * each regression as {@link profileKinds} says (a note where it could not be profiled), and a
 * summary for the run's settings (null when nothing regressed).
 */
export async function profileRegressions(
  benchmarks: BenchmarkResult[],
  sides: { base: ProfileSide; head: ProfileSide },
  o: ProfilePassOptions,
): Promise<{ benchmarks: BenchmarkResult[]; summary: ProfilePassSummary | null }> {
  const regressions = benchmarks.filter(isRegression).sort(largestFirst);
  if (regressions.length === 0) return { benchmarks, summary: null };
  const { secondsLeft, summary, stop } = passClock(o.budgetSeconds);
  const profiles = new Map<string, BenchmarkProfile>();
  const heapProfiles = new Map<string, CountProfile>();
  const folders = new Set<string>();
  let startup = STARTUP_GUESS_SECONDS;
  /** Why perf does not record here, null when it does; asked before the first CPU profile. */
  let perfWhy: string | null | undefined;
  /** Per benchmark: why its native frames were not broken down although perf could record. */
  const perfNotes = new Map<string, string>();

  /** Both sides of one kind: null with a note when the budget is spent or a side failed. */
  const profilePair = async (
    b: BenchmarkResult,
    kind: 'cpu' | 'heap',
    folder: string,
  ): Promise<{ runs: Record<Side, SideRun>; seconds: number } | { note: string; seconds: number }> => {
    const t0 = Date.now();
    const took = () => Math.round((Date.now() - t0) / 100) / 10;
    // Both sides: start-up, warm-up and the profiled calls, within what is left.
    const seconds = Math.min(o.seconds ?? PROFILE_SECONDS, secondsLeft() / 2 - startup - WARMUP_SECONDS);
    const what = kind === 'cpu' ? 'profile' : 'heap profile';
    if (seconds < MIN_PROFILE_SECONDS) {
      const need = 2 * (startup + WARMUP_SECONDS + MIN_PROFILE_SECONDS);
      return {
        note: `not profiled: ${Math.max(0, secondsLeft()).toFixed(1)} s of the profile budget (${o.budgetSeconds} s) left, a ${what} of both sides takes about ${need.toFixed(1)} s`,
        seconds: 0,
      };
    }
    if (kind === 'cpu' && perfWhy === undefined)
      perfWhy =
        o.perf === false
          ? 'perf is turned off'
          : process.platform !== 'linux'
            ? 'perf records on Linux only'
            : await perfUnavailable();
    o.onStatus?.(
      `${kind === 'cpu' ? 'profiling' : 'heap-profiling'} ${b.name} (base, then head: ${seconds.toFixed(1)} s of calls each)`,
    );
    try {
      const runs: Record<Side, SideRun> = {} as Record<Side, SideRun>;
      for (const side of [sides.base, sides.head]) {
        const job: ProfileJob = {
          suite: side.suite,
          profile: side.profile,
          name: b.name,
          warmupSeconds: WARMUP_SECONDS,
          seconds,
          minCalls: MIN_CALLS,
          intervalUs: SAMPLING_INTERVAL_US,
          ...(kind === 'heap' ? { kind, samplingBytes: HEAP_SAMPLING_BYTES } : {}),
          out: join(o.folder, folder, `${side.side}.${kind === 'cpu' ? 'cpuprofile' : 'heapprofile'}`),
        };
        const rec = kind === 'cpu' && perfWhy === null ? await newRecording() : undefined;
        try {
          if (rec) job.perfControl = { ctl: rec.ctl, ack: rec.ack };
          const run = await profileSide(side, job, secondsLeft() * 1000, b.name, rec);
          startup = Math.max(0, run.seconds - seconds - WARMUP_SECONDS);
          if (rec)
            run.native = await perfSelfTimes(
              rec.data,
              run.calls,
              side.root,
              Math.max(1, secondsLeft()) * 1000,
              `the ${side.side} perf recording of ${b.name}`,
            ).catch((e: unknown) => {
              perfNotes.set(b.name, `native code is not broken down by function: ${(e as Error).message}`);
              return undefined;
            });
          runs[side.side] = run;
        } finally {
          if (rec) removeRecording(rec);
        }
      }
      return { runs, seconds: took() };
    } catch (e) {
      return { note: `not profiled: ${(e as Error).message}`, seconds: took() };
    }
  };

  const fileOf = (folder: string, side: Side, ext: string) => `${folder}/${side}.${ext}`.split('\\').join('/');
  for (const b of regressions) {
    const folder = newProfileFolder(o.folder, b.name, folders);
    const kinds = profileKinds(b);
    const notes: string[] = [];
    if (kinds.cpu) {
      const got = await profilePair(b, 'cpu', folder);
      try {
        if ('note' in got) throw new ProfileError(got.note.replace(/^not profiled: /, ''));
        // Each side's self times brought to the time per call its rounds measured (toMeasured).
        const { base, head } = got.runs;
        const baseProfile = loadSideProfile(base, sides.base, b.name);
        const headProfile = loadSideProfile(head, sides.head, b.name);
        const baseTimes = sideSelfTimes(base, sides.base, b.name, baseProfile);
        const headTimes = sideSelfTimes(head, sides.head, b.name, headProfile);
        const measured = measuredPerCall(b);
        const toBase = toMeasured(baseTimes, measured.base);
        const toHead = toMeasured(headTimes, measured.head);
        const top = differential(scaled(baseTimes, toBase), scaled(headTimes, toHead));
        // The tree scaled alike: fewer calls for the same samples is more time per call.
        const tree = differentialTree(
          sideTreeInput(base.calls / toBase, baseProfile),
          sideTreeInput(head.calls / toHead, headProfile),
        );
        const files = { base: fileOf(folder, 'base', 'cpuprofile'), head: fileOf(folder, 'head', 'cpuprofile') };
        const broken = base.native !== undefined && head.native !== undefined;
        const limit = broken
          ? undefined
          : top.some(isNativeLine)
            ? (perfNotes.get(b.name) ??
              `native code is not broken down by function: ${perfWhy ?? 'perf did not record'}`)
            : undefined;
        profiles.set(b.name, {
          top,
          files,
          seconds: got.seconds,
          ...(limit ? { note: limit } : {}),
          // Named only where perf found addon code: a JavaScript-only profile is V8's alone.
          ...(broken && (base.native?.length ?? 0) + (head.native?.length ?? 0) > 0
            ? { profiler: CPU_AND_PERF_PROFILER }
            : {}),
          tree,
        });
        o.onStatus?.(
          `${b.name}: ${grewMost(top[0], 'ms') ?? 'no function grew'} · profiles in ${join(o.folder, folder)}`,
        );
      } catch (e) {
        const note = `not profiled: ${(e as Error).message}`;
        profiles.set(b.name, { top: [], files: null, seconds: got.seconds, note });
        notes.push(note);
      }
    }
    if (kinds.heap) {
      const got = await profilePair(b, 'heap', folder);
      try {
        if ('note' in got) throw new ProfileError(got.note.replace(/^not profiled: /, ''));
        const top = countDifferential(
          sideAllocations(got.runs.base, sides.base, b.name),
          sideAllocations(got.runs.head, sides.head, b.name),
        );
        const files = { base: fileOf(folder, 'base', 'heapprofile'), head: fileOf(folder, 'head', 'heapprofile') };
        heapProfiles.set(b.name, { unit: 'bytes', profiler: HEAP_PROFILER, top, files, seconds: got.seconds });
        o.onStatus?.(
          `${b.name}: ${grewMost(top[0], 'bytes') ?? 'no function allocated more'} · heap profiles in ${join(o.folder, folder)}`,
        );
      } catch (e) {
        const note = `not profiled: ${(e as Error).message}`;
        heapProfiles.set(b.name, {
          unit: 'bytes',
          profiler: HEAP_PROFILER,
          top: [],
          files: null,
          seconds: got.seconds,
          note,
        });
        notes.push(note);
      }
    }
    if (notes.length === 0) summary.profiled.push(b.name);
    for (const reason of notes) {
      summary.notProfiled.push({ name: b.name, reason });
      o.onStatus?.(`${b.name}: ${reason}`);
    }
  }
  stop();
  return {
    benchmarks: benchmarks.map((b) => {
      const profile = profiles.get(b.name);
      const countProfile = heapProfiles.get(b.name);
      return profile || countProfile
        ? { ...b, ...(profile ? { profile } : {}), ...(countProfile ? { countProfile } : {}) }
        : b;
    }),
    summary,
  };
}
