/**
 * Profiles of a history run (`run`), where only the head exists: after all measuring and within
 * the profile budget, each benchmark whose time regressed is CPU-profiled once on this checkout
 * (one fresh process, as ./profile-pass.ts does for each side of a comparison), and its functions'
 * self times per call are compared with the profile an earlier run of the same testbed kept
 * (`keep-profiles`); when none was kept, the regression says so and names the head's top
 * functions. With `keep-profiles`, every completed benchmark is profiled — the regressions first,
 * then the rest cheapest per call first, so the budget covers as many as it can — and its self
 * times are returned for the store to keep.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchmarkProfile, BenchmarkResult, CountProfile } from '../model.js';
import { differential, TOP_FUNCTIONS, type SelfTime } from './differential.js';
import type { ProfileJob } from './profile-job.js';
import {
  HEAP_PROFILER,
  isRegression,
  MIN_CALLS,
  MIN_PROFILE_SECONDS,
  PROFILE_SECONDS,
  largestFirst,
  passClock,
  PROFILES_FOLDER,
  profileFolderOf,
  profileKinds,
  profileSide,
  SAMPLING_INTERVAL_US,
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

/** Options of {@link profileHead}. */
export interface HeadProfileOptions {
  /** Total seconds of profiling. */
  budgetSeconds: number;
  /** Folder the reports are written to: the profiles go in its `benchgate-profiles/`. */
  folder: string;
  /** Profile every completed benchmark, not only the regressions, and return their self times to keep. */
  keepAll: boolean;
  /** The profile an earlier run kept of this benchmark, or null; may throw when a stored one is unreadable. */
  earlier: (b: BenchmarkResult) => EarlierProfile | null;
  onStatus?: (line: string) => void;
  /** Seconds of profiled calls per benchmark ({@link PROFILE_SECONDS}). */
  seconds?: number;
}

/** One benchmark's head profile, as the store keeps it. */
export interface HeadSelfTimes {
  benchmark: BenchmarkResult;
  /** Calls the profile covered. */
  calls: number;
  functions: SelfTime[];
}

/** Milliseconds per call as a note shows them. */
function perCall(ms: number): string {
  if (ms >= 1) return `${ms.toFixed(1)} ms`;
  if (ms >= 0.01) return `${Number(ms.toPrecision(2))} ms`;
  return `${Number((ms * 1000).toPrecision(2))} µs`;
}

/** The head's top functions by self time per call, for a note: `leafWork (suite.mjs:2) 1.2 ms, …`. */
export function topSelfTimes(head: readonly SelfTime[], top = TOP_FUNCTIONS): string {
  const listed = head
    .slice(0, top)
    .map(
      (f) =>
        `${f.function.slice(0, 100)}${f.file ? ` (${f.file.slice(-150)}${f.line > 0 ? `:${f.line}` : ''})` : ''} ${perCall(f.msPerCall)}`,
    );
  return listed.length > 0 ? listed.join(', ') : 'no function was sampled';
}

/** Longest note a report carries (what a posted report's validation takes). */
const MAX_NOTE_CHARS = 2000;
const capped = (note: string): string => note.slice(0, MAX_NOTE_CHARS);

/** A regression's profile from its head self times: a differential against the earlier kept profile, or why there is none. */
function regressionProfile(
  b: BenchmarkResult,
  head: SelfTime[],
  file: string,
  seconds: number,
  earlier: HeadProfileOptions['earlier'],
): BenchmarkProfile {
  const headTop = `the head's top self time per call: ${topSelfTimes(head)}; its profile: ${file}`;
  let before: EarlierProfile | null;
  try {
    before = earlier(b);
  } catch (e) {
    return {
      top: [],
      files: null,
      seconds,
      note: capped(`the kept earlier profile could not be read (${(e as Error).message.slice(0, 300)}); ${headTop}`),
    };
  }
  if (before === null)
    return {
      top: [],
      files: null,
      seconds,
      note: capped(
        `no earlier profile of this benchmark was kept on this testbed to compare against (keep-profiles); ${headTop}`,
      ),
    };
  return {
    top: differential(before.functions, head),
    files: null,
    seconds,
    note: capped(`compared with the profile kept by ${before.label}; this run's profile: ${file}`),
  };
}

/**
 * Profiles the head as the module comment says; returns the benchmarks with `profile` set on each
 * time regression (and a `countProfile` note on a memory regression: history mode takes CPU
 * profiles only), a summary for the run's settings (null when there was nothing to profile), and
 * the self times to keep (empty unless `keepAll`).
 */
export async function profileHead(
  benchmarks: BenchmarkResult[],
  head: ProfileSide,
  o: HeadProfileOptions,
): Promise<{ benchmarks: BenchmarkResult[]; summary: ProfilePassSummary | null; kept: HeadSelfTimes[] }> {
  const regressions = benchmarks.filter((b) => isRegression(b) && profileKinds(b).cpu).sort(largestFirst);
  const rest = o.keepAll
    ? benchmarks
        .filter((b) => b.state === 'completed' && !regressions.includes(b))
        .sort((a, b) => (a.medianSeconds ?? Infinity) - (b.medianSeconds ?? Infinity))
    : [];
  const memoryOnly = benchmarks.filter((b) => isRegression(b) && !profileKinds(b).cpu);
  const targets = [...regressions, ...rest];
  const countNotes = new Map<string, CountProfile>(
    memoryOnly.map((b) => [
      b.name,
      {
        unit: 'bytes',
        profiler: HEAP_PROFILER,
        top: [],
        files: null,
        seconds: 0,
        note: 'not profiled: history mode (run) takes CPU profiles of the head only, not heap profiles',
      },
    ]),
  );
  if (targets.length === 0 && countNotes.size === 0) return { benchmarks, summary: null, kept: [] };
  const { secondsLeft, summary, stop } = passClock(o.budgetSeconds);
  const profiles = new Map<string, BenchmarkProfile>();
  const kept: HeadSelfTimes[] = [];
  const folders = new Set<string>();
  let startup = STARTUP_GUESS_SECONDS;

  for (const b of targets) {
    const regression = regressions.includes(b);
    const t0 = Date.now();
    const took = () => Math.round((Date.now() - t0) / 100) / 10;
    const failed = (reason: string) => {
      const note = `not profiled: ${reason}`;
      summary.notProfiled.push({ name: b.name, reason: note });
      if (regression) profiles.set(b.name, { top: [], files: null, seconds: took(), note });
      o.onStatus?.(`${b.name}: ${note}`);
    };
    // Start-up, warm-up and the profiled calls, within what is left.
    const seconds = Math.min(o.seconds ?? PROFILE_SECONDS, secondsLeft() - startup - WARMUP_SECONDS);
    if (seconds < MIN_PROFILE_SECONDS) {
      const need = startup + WARMUP_SECONDS + MIN_PROFILE_SECONDS;
      failed(
        `${Math.max(0, secondsLeft()).toFixed(1)} s of the profile budget (${o.budgetSeconds} s) left, a profile takes about ${need.toFixed(1)} s`,
      );
      continue;
    }
    let folder = join(PROFILES_FOLDER, profileFolderOf(b.name));
    for (let n = 2; folders.has(folder); n++) folder = join(PROFILES_FOLDER, `${profileFolderOf(b.name)}-${n}`);
    folders.add(folder);
    mkdirSync(join(o.folder, folder), { recursive: true });
    const file = `${folder}/head.cpuprofile`.split('\\').join('/');
    o.onStatus?.(`profiling ${b.name} (head: ${seconds.toFixed(1)} s of calls)`);
    const job: ProfileJob = {
      suite: head.suite,
      profile: head.profile,
      name: b.name,
      warmupSeconds: WARMUP_SECONDS,
      seconds,
      minCalls: MIN_CALLS,
      intervalUs: SAMPLING_INTERVAL_US,
      out: join(o.folder, file),
    };
    try {
      const run = await profileSide(head, job, secondsLeft() * 1000, b.name);
      startup = Math.max(0, run.seconds - seconds - WARMUP_SECONDS);
      const self = sideSelfTimes(run, head, b.name);
      if (o.keepAll) kept.push({ benchmark: b, calls: run.calls, functions: self });
      summary.profiled.push(b.name);
      if (regression) {
        const p = regressionProfile(b, self, file, took(), o.earlier);
        profiles.set(b.name, p);
        const first = p.top[0];
        o.onStatus?.(
          `${b.name}: ${first ? `+${first.deltaMsPerCall.toPrecision(3)} ms/call in ${first.function} (${first.file}:${first.line})` : (p.note ?? '')}`,
        );
      }
    } catch (e) {
      failed((e as Error).message);
    }
  }
  stop();
  return {
    benchmarks: benchmarks.map((b) => {
      const profile = profiles.get(b.name);
      const countProfile = countNotes.get(b.name);
      return profile || countProfile
        ? { ...b, ...(profile ? { profile } : {}), ...(countProfile ? { countProfile } : {}) }
        : b;
    }),
    summary,
    kept,
  };
}
