/**
 * Profiles of a history run (`run`), where only the head exists: after all measuring and within
 * the profile budget, each benchmark whose time regressed is CPU-profiled once on this checkout
 * (one fresh process, as ./profile-pass.ts does for each side of a comparison), and each whose
 * `allocated` or `peak-memory` regressed gets V8's sampling heap profile the same way. A
 * regression's functions — self time, or bytes allocated, per call — are compared with the
 * profile of the same kind an earlier run of the same testbed kept (`keep-profiles`); when none
 * was kept, the regression says so and names the head's top functions.
 *
 * With `keep-profiles`, every completed benchmark is CPU-profiled, and every one whose gated
 * memory measure was taken is heap-profiled, and what each profile found is returned for the store
 * to keep. One budget covers all, in this order: the CPU profiles of the time regressions, the heap
 * profiles of the memory regressions (each kind largest regression first), then the CPU profiles
 * kept for later runs, then the heap profiles kept (each kind cheapest per call first, so the
 * budget covers as many as it can). This run's regressions come before what only later runs use,
 * and time, the measure that gates by default, before memory.
 */
import { join } from 'node:path';
import type { BenchmarkProfile, BenchmarkResult, CountProfile } from '../model.js';
import { countDifferential, differential, TOP_FUNCTIONS, type SelfCount, type SelfTime } from './differential.js';
import type { ProfileJob } from './profile-job.js';
import {
  HEAP_PROFILER,
  HEAP_SAMPLING_BYTES,
  grewMost,
  isRegression,
  largestFirst,
  MEMORY_MEASURES,
  MIN_CALLS,
  MIN_PROFILE_SECONDS,
  PROFILE_SECONDS,
  passClock,
  newProfileFolder,
  profileKinds,
  profileSide,
  SAMPLING_INTERVAL_US,
  sideAllocations,
  sideSelfTimes,
  STARTUP_GUESS_SECONDS,
  WARMUP_SECONDS,
  type ProfilePassSummary,
  type ProfileSide,
} from './profile-pass.js';

/** A profile an earlier run kept, as a regression is compared against it. */
export interface EarlierProfile {
  /** Names it in the note, e.g. `run 3f… (commit abc1234, 2026-12-03)`. */
  label: string;
  functions: SelfTime[];
}

/** A heap profile an earlier run kept: its functions' bytes allocated per call. */
export interface EarlierCounts {
  /** Names it in the note, as {@link EarlierProfile.label}. */
  label: string;
  functions: SelfCount[];
}

/** Options of {@link profileHead}. */
export interface HeadProfileOptions {
  /** Total seconds of profiling. */
  budgetSeconds: number;
  /** Folder the reports are written to: the profiles go in its `benchgate-profiles/`. */
  folder: string;
  /** Profile every completed benchmark, not only the regressions, and return what each found to keep. */
  keepAll: boolean;
  /** The profile an earlier run kept of this benchmark, or null; may throw when a stored one is unreadable. */
  earlier: (b: BenchmarkResult) => EarlierProfile | null;
  /** The heap profile (bytes) an earlier run kept of this benchmark, or null; may throw likewise. */
  earlierCounts: (b: BenchmarkResult) => EarlierCounts | null;
  onStatus?: (line: string) => void;
  /** Seconds of profiled calls per benchmark ({@link PROFILE_SECONDS}). */
  seconds?: number;
}

/** One benchmark's head CPU profile, as the store keeps it. */
export interface HeadSelfTimes {
  benchmark: BenchmarkResult;
  /** Calls the profile covered. */
  calls: number;
  functions: SelfTime[];
}

/** One benchmark's head heap profile, as the store keeps it: bytes allocated per call by each function. */
export interface HeadCounts {
  benchmark: BenchmarkResult;
  /** Calls the profile covered. */
  calls: number;
  functions: SelfCount[];
}

/** What {@link profileHead} returns. */
export interface HeadProfiles {
  /** The benchmarks, with `profile` / `countProfile` set on each regression. */
  benchmarks: BenchmarkResult[];
  /** For the run's settings; null when there was nothing to profile. */
  summary: ProfilePassSummary | null;
  /** Self times to keep (empty unless `keepAll`). */
  kept: HeadSelfTimes[];
  /** Bytes allocated per call to keep (empty unless `keepAll`). */
  keptCounts: HeadCounts[];
}

/** Milliseconds per call as a note shows them. */
function perCall(ms: number): string {
  if (ms >= 1) return `${ms.toFixed(1)} ms`;
  if (ms >= 0.01) return `${Number(ms.toPrecision(2))} ms`;
  return `${Number((ms * 1000).toPrecision(2))} µs`;
}

/** Bytes per call as a note shows them: `390 kB`, `1.2 MB`, `640 B`. */
function bytesPerCall(bytes: number): string {
  const [scale, unit] = (
    [
      [1e9, 'GB'],
      [1e6, 'MB'],
      [1e3, 'kB'],
    ] as const
  ).find(([scale]) => bytes >= scale) ?? [1, 'B'];
  const n = bytes / scale;
  return `${Number(n.toPrecision(n >= 100 ? 3 : 2))} ${unit}`;
}

/** `name (file:line) value, …` for the first `top` functions, or that none was sampled. */
function listed<F extends { function: string; file: string; line: number }>(
  functions: readonly F[],
  value: (f: F) => string,
  top: number,
): string {
  const named = functions
    .slice(0, top)
    .map(
      (f) =>
        `${f.function.slice(0, 100)}${f.file ? ` (${f.file.slice(-150)}${f.line > 0 ? `:${f.line}` : ''})` : ''} ${value(f)}`,
    );
  return named.length > 0 ? named.join(', ') : 'no function was sampled';
}

/** The head's top functions by self time per call, for a note: `leafWork (suite.mjs:2) 1.2 ms, …`. */
export function topSelfTimes(head: readonly SelfTime[], top = TOP_FUNCTIONS): string {
  return listed(head, (f) => perCall(f.msPerCall), top);
}

/** The head's top functions by bytes allocated per call, for a note: `makeRows (suite.mjs:2) 390 kB, …`. */
export function topAllocations(head: readonly SelfCount[], top = TOP_FUNCTIONS): string {
  return listed(
    [...head].sort((a, b) => b.perCall - a.perCall),
    (f) => bytesPerCall(f.perCall),
    top,
  );
}

/** The head's top functions by instructions per call, for a note: `leaf (leaf.c:3) 2.72M instructions, …`. */
export function topInstructions(head: readonly SelfCount[], top = TOP_FUNCTIONS): string {
  const count = (n: number) => (n >= 1e6 ? `${(n / 1e6).toPrecision(3)}M` : `${Math.round(n)}`);
  return listed(head, (f) => `${count(f.perCall)} instructions`, top);
}

/** Longest note a report carries (what a posted report's validation takes). */
const MAX_NOTE_CHARS = 2000;
const capped = (note: string): string => note.slice(0, MAX_NOTE_CHARS);

/**
 * A regression's differential against the profile of its kind an earlier run kept, with the note
 * naming that run; or no lines and a note saying why there is none, which names the head's top
 * functions (`headTop`).
 */
export function againstKept<F, L>(
  b: BenchmarkResult,
  earlier: (b: BenchmarkResult) => { label: string; functions: F[] } | null,
  what: 'profile' | 'heap profile',
  headTop: string,
  file: string,
  compare: (before: F[]) => L[],
): { top: L[]; note: string } {
  let before: { label: string; functions: F[] } | null;
  try {
    before = earlier(b);
  } catch (e) {
    return {
      top: [],
      note: capped(`the kept earlier ${what} could not be read (${(e as Error).message.slice(0, 300)}); ${headTop}`),
    };
  }
  if (before === null)
    return {
      top: [],
      note: capped(
        `no earlier ${what} of this benchmark was kept on this testbed to compare against (keep-profiles); ${headTop}`,
      ),
    };
  return {
    top: compare(before.functions),
    note: capped(`compared with the profile kept by ${before.label}; this run's profile: ${file}`),
  };
}

/** A time regression's profile from its head self times. */
function regressionProfile(
  b: BenchmarkResult,
  head: SelfTime[],
  file: string,
  seconds: number,
  earlier: HeadProfileOptions['earlier'],
): BenchmarkProfile {
  const headTop = `the head's top self time per call: ${topSelfTimes(head)}; its profile: ${file}`;
  const { top, note } = againstKept(b, earlier, 'profile', headTop, file, (before) => differential(before, head));
  return { top, files: null, seconds, note };
}

/** A memory regression's heap profile from its head's bytes allocated per call. */
function regressionCountProfile(
  b: BenchmarkResult,
  head: SelfCount[],
  file: string,
  seconds: number,
  earlier: HeadProfileOptions['earlierCounts'],
): CountProfile {
  const headTop = `the head's top bytes allocated per call: ${topAllocations(head)}; its profile: ${file}`;
  const { top, note } = againstKept(b, earlier, 'heap profile', headTop, file, (before) =>
    countDifferential(before, head),
  );
  return { unit: 'bytes', profiler: HEAP_PROFILER, top, files: null, seconds, note };
}

/** The largest change among a result's regressed gated memory measures, in percent. */
const memoryChange = (b: BenchmarkResult): number =>
  Math.max(
    -Infinity,
    ...b.measures
      .filter((m) => m.gated && MEMORY_MEASURES.has(m.measure) && m.verdict?.kind === 'regressed')
      .map((m) => m.verdict?.changePct ?? -Infinity),
  );

/** Cheapest per call first (a sort comparator). */
const cheapestFirst = (a: BenchmarkResult, b: BenchmarkResult): number =>
  (a.medianSeconds ?? Infinity) - (b.medianSeconds ?? Infinity);

/**
 * Whether a completed benchmark's heap profile is worth keeping: a memory measure was taken and
 * gates, so that its regression would be heap-profiled and compared with what is kept.
 */
const keepsHeap = (b: BenchmarkResult): boolean =>
  b.state === 'completed' && b.measures.some((m) => MEMORY_MEASURES.has(m.measure) && m.gated && m.median !== null);

/** One profile to take: which benchmark, which profiler, whether it explains a regression. */
interface HeadJob {
  b: BenchmarkResult;
  kind: 'cpu' | 'heap';
  regression: boolean;
}

/** The profiles to take, in the order the module comment gives. */
function headJobs(benchmarks: BenchmarkResult[], keepAll: boolean): HeadJob[] {
  const regressed = benchmarks.filter(isRegression);
  const cpu = regressed.filter((b) => profileKinds(b).cpu).sort(largestFirst);
  const heap = regressed.filter((b) => profileKinds(b).heap).sort((a, b) => memoryChange(b) - memoryChange(a));
  const rest = (done: BenchmarkResult[], wanted: (b: BenchmarkResult) => boolean) =>
    keepAll ? benchmarks.filter((b) => wanted(b) && !done.includes(b)).sort(cheapestFirst) : [];
  const job = (kind: HeadJob['kind'], regression: boolean) => (b: BenchmarkResult) => ({ b, kind, regression });
  return [
    ...cpu.map(job('cpu', true)),
    ...heap.map(job('heap', true)),
    ...rest(cpu, (b) => b.state === 'completed').map(job('cpu', false)),
    ...rest(heap, keepsHeap).map(job('heap', false)),
  ];
}

/**
 * Profiles the head as the module comment says; returns the benchmarks with `profile` set on each
 * time regression and `countProfile` (bytes) on each memory regression, a summary for the run's
 * settings, and what to keep. The summary's `profiled` lists each benchmark whose every profile
 * was taken, once; `notProfiled` each profile that was not, with why.
 */
export async function profileHead(
  benchmarks: BenchmarkResult[],
  head: ProfileSide,
  o: HeadProfileOptions,
): Promise<HeadProfiles> {
  const jobs = headJobs(benchmarks, o.keepAll);
  if (jobs.length === 0) return { benchmarks, summary: null, kept: [], keptCounts: [] };
  const { secondsLeft, summary, stop } = passClock(o.budgetSeconds);
  const profiles = new Map<string, BenchmarkProfile>();
  const heapProfiles = new Map<string, CountProfile>();
  const kept: HeadSelfTimes[] = [];
  const keptCounts: HeadCounts[] = [];
  const folders = new Map<string, string>();
  const left = new Map<string, number>();
  for (const j of jobs) left.set(j.b.name, (left.get(j.b.name) ?? 0) + 1);
  const failedNames = new Set<string>();
  let startup = STARTUP_GUESS_SECONDS;

  /** The benchmark's folder under the reports' one, made once, apart from any other benchmark's. */
  const folderOf = (name: string): string => {
    const made = folders.get(name);
    if (made !== undefined) return made;
    const folder = newProfileFolder(o.folder, name, new Set(folders.values()));
    folders.set(name, folder);
    return folder;
  };

  for (const { b, kind, regression } of jobs) {
    const t0 = Date.now();
    const took = () => Math.round((Date.now() - t0) / 100) / 10;
    const heap = kind === 'heap';
    const failed = (reason: string) => {
      const note = `not profiled: ${reason}`;
      failedNames.add(b.name);
      summary.notProfiled.push({ name: b.name, reason: heap ? `not heap-profiled: ${reason}` : note });
      if (regression && heap)
        heapProfiles.set(b.name, {
          unit: 'bytes',
          profiler: HEAP_PROFILER,
          top: [],
          files: null,
          seconds: took(),
          note,
        });
      else if (regression) profiles.set(b.name, { top: [], files: null, seconds: took(), note });
      o.onStatus?.(`${b.name}: ${heap ? 'not heap-profiled' : 'not profiled'}: ${reason}`);
    };
    const done = () => {
      const n = (left.get(b.name) ?? 1) - 1;
      left.set(b.name, n);
      if (n === 0 && !failedNames.has(b.name)) summary.profiled.push(b.name);
    };
    // Start-up, warm-up and the profiled calls, within what is left.
    const seconds = Math.min(o.seconds ?? PROFILE_SECONDS, secondsLeft() - startup - WARMUP_SECONDS);
    if (seconds < MIN_PROFILE_SECONDS) {
      const need = startup + WARMUP_SECONDS + MIN_PROFILE_SECONDS;
      failed(
        `${Math.max(0, secondsLeft()).toFixed(1)} s of the profile budget (${o.budgetSeconds} s) left, a ${heap ? 'heap profile' : 'profile'} takes about ${need.toFixed(1)} s`,
      );
      done();
      continue;
    }
    const folder = folderOf(b.name);
    const file = `${folder}/head.${heap ? 'heapprofile' : 'cpuprofile'}`.split('\\').join('/');
    o.onStatus?.(`${heap ? 'heap-profiling' : 'profiling'} ${b.name} (head: ${seconds.toFixed(1)} s of calls)`);
    const job: ProfileJob = {
      suite: head.suite,
      profile: head.profile,
      name: b.name,
      warmupSeconds: WARMUP_SECONDS,
      seconds,
      minCalls: MIN_CALLS,
      intervalUs: SAMPLING_INTERVAL_US,
      ...(heap ? { kind, samplingBytes: HEAP_SAMPLING_BYTES } : {}),
      out: join(o.folder, file),
    };
    try {
      const run = await profileSide(head, job, secondsLeft() * 1000, b.name);
      startup = Math.max(0, run.seconds - seconds - WARMUP_SECONDS);
      if (heap) {
        const counts = sideAllocations(run, head, b.name);
        if (o.keepAll && keepsHeap(b)) keptCounts.push({ benchmark: b, calls: run.calls, functions: counts });
        if (regression) {
          const p = regressionCountProfile(b, counts, file, took(), o.earlierCounts);
          heapProfiles.set(b.name, p);
          o.onStatus?.(`${b.name}: ${grewMost(p.top[0], 'bytes') ?? p.note ?? ''}`);
        }
      } else {
        const self = sideSelfTimes(run, head, b.name);
        if (o.keepAll) kept.push({ benchmark: b, calls: run.calls, functions: self });
        if (regression) {
          const p = regressionProfile(b, self, file, took(), o.earlier);
          profiles.set(b.name, p);
          o.onStatus?.(`${b.name}: ${grewMost(p.top[0], 'ms') ?? p.note ?? ''}`);
        }
      }
    } catch (e) {
      failed((e as Error).message);
    }
    done();
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
    kept,
    keptCounts,
  };
}
