/**
 * Profiles of a history run over a project's harnesses (`run` with `harnesses`), where only the
 * head exists, as ./head-profiles.ts does for suite modules: after all measuring and within the
 * profile budget, each benchmark that regressed runs once on this checkout under its harness's
 * profiler (./harness-profile.ts: callgrind, cProfile, Go's pprof, V8's in vitest), and its own
 * time or instructions per call are compared with what an earlier run of the same testbed kept
 * (`keep-profiles`); when none was kept, the regression says so and names the head's top
 * functions. With `keep-profiles` every completed benchmark is profiled (the regressions first,
 * then the rest cheapest per call first, so the budget covers as many as it can) and kept: self
 * times as the result's `keptProfile`, callgrind's instructions as its `keptCountProfile`.
 *
 * Self times are scaled to the time per call the run measured before they are compared or kept
 * (./differential.ts `toMeasured`): one profiled run says how the time divides among functions,
 * the rounds how much time there was, so two runs' profiles differ by what the rounds measured.
 * Instructions are exact counts and are compared as they are.
 */
import { join } from 'node:path';
import type { HarnessEntry } from '../config/harnesses.js';
import type { BenchmarkProfile, BenchmarkResult, CountProfile, KeptCounts, KeptSelfTimes } from '../model.js';
import { countsToKeep, functionsToKeep } from '../store/kept-profiles.js';
import { countDifferential, differential, scaled, toMeasured } from './differential.js';
import { goIterations, GO_MIN_PROFILE_SECONDS } from './go-profile.js';
import {
  CALLGRIND,
  CALLGRIND_MIN_SHARE,
  goSideSeconds,
  PERF_PROFILER,
  harnessProfilePlan,
  profileHarnessSide,
  profilerChoice,
  type HarnessProfileSide,
  type HarnessSideProfile,
} from './harness-profile.js';
import { againstKept, topInstructions, topSelfTimes, type HeadProfileOptions } from './head-profiles.js';
import {
  grewMost,
  isRegression,
  largestFirst,
  passClock,
  newProfileFolder,
  type ProfilePassSummary,
} from './profile-pass.js';
import { VITEST_MIN_SECONDS, VITEST_PROFILER } from './vitest-profile.js';

/**
 * Options of {@link profileHarnessHead}: a suite's head profiles' options, but `earlierCounts`
 * gives the instructions (callgrind) an earlier run kept, and each profiler runs for as long as
 * its harness does.
 */
export type HarnessHeadOptions = Omit<HeadProfileOptions, 'seconds'>;

/** What a benchmark's result keeps of its head profile. */
export type HarnessKept = { keptProfile: KeptSelfTimes } | { keptCountProfile: KeptCounts };

/** A regression's profile from its head profile: a differential against what was kept before, or why there is none. */
function regressionProfile(
  b: BenchmarkResult,
  head: HarnessSideProfile,
  file: string,
  seconds: number,
  o: HarnessHeadOptions,
): { profile: BenchmarkProfile } | { countProfile: CountProfile } {
  if (head.unit === 'ms') {
    const headTop = `the head's top self time per call: ${topSelfTimes(head.self)}; its profile: ${file}`;
    const { top, note } = againstKept(b, o.earlier, 'profile', headTop, file, (before) =>
      differential(before, head.self),
    );
    return { profile: { top, files: null, seconds, note, profiler: head.profiler } };
  }
  const headTop = `the head's top instructions per call: ${topInstructions(head.counts)}; its profile: ${file}`;
  const { top, note } = againstKept(b, o.earlierCounts, 'profile', headTop, file, (before) =>
    countDifferential(before, head.counts, { minShare: CALLGRIND_MIN_SHARE }),
  );
  return { countProfile: { unit: 'instructions', profiler: CALLGRIND, top, files: null, seconds, note } };
}

/**
 * Profiles the head as the module comment says; `entryOf` gives a benchmark's harness entry and
 * its own name. Returns the benchmarks with `profile` (self times) or `countProfile`
 * (instructions) set on each regression, a summary for the run's settings (null when there was
 * nothing to profile), and what each profiled benchmark keeps (empty unless `keepAll`).
 */
export async function profileHarnessHead(
  benchmarks: BenchmarkResult[],
  head: HarnessProfileSide,
  entryOf: (name: string) => { entry: HarnessEntry; own: string } | null,
  o: HarnessHeadOptions,
): Promise<{ benchmarks: BenchmarkResult[]; summary: ProfilePassSummary | null; kept: Map<string, HarnessKept> }> {
  const regressions = benchmarks.filter(isRegression).sort(largestFirst);
  const rest = o.keepAll
    ? benchmarks
        .filter((b) => b.state === 'completed' && !regressions.includes(b))
        .sort((a, b) => (a.medianSeconds ?? Infinity) - (b.medianSeconds ?? Infinity))
    : [];
  const kept = new Map<string, HarnessKept>();
  if (regressions.length + rest.length === 0) return { benchmarks, summary: null, kept };
  const { secondsLeft, summary, stop } = passClock(o.budgetSeconds);
  const results = new Map<string, { profile: BenchmarkProfile } | { countProfile: CountProfile }>();
  const folders = new Set<string>();

  for (const b of [...regressions, ...rest]) {
    const regression = regressions.includes(b);
    const t0 = Date.now();
    const took = () => Math.round((Date.now() - t0) / 100) / 10;
    const target = entryOf(b.name);
    const plan = target ? harnessProfilePlan(target.entry, target.own) : { missing: 'its harness is not known' };
    let viaPerf = false;
    const failed = (reason: string) => {
      const note = `not profiled: ${reason}`;
      summary.notProfiled.push({ name: b.name, reason: note });
      if (regression) {
        const profiler = 'profiler' in plan ? (viaPerf ? PERF_PROFILER : plan.profiler) : null;
        results.set(
          b.name,
          profiler === null || profiler === 'callgrind'
            ? {
                countProfile: {
                  unit: 'instructions',
                  profiler: CALLGRIND,
                  top: [],
                  files: null,
                  seconds: took(),
                  note,
                },
              }
            : { profile: { top: [], files: null, seconds: took(), note, profiler } },
        );
      }
      o.onStatus?.(`${b.name}: ${note}`);
    };
    if ('missing' in plan) {
      failed(plan.missing);
      continue;
    }
    const secondsPerCall = b.state === 'completed' ? b.medianSeconds : null;
    const choice = await profilerChoice(plan, secondsPerCall, secondsLeft(), 1);
    if ('missing' in choice) {
      failed(choice.missing);
      continue;
    }
    viaPerf = choice.viaPerf;
    const goSeconds = goSideSeconds(secondsLeft(), 1);
    const least =
      plan.profiler === 'callgrind' || plan.profiler === 'cProfile'
        ? secondsLeft() >= 1
        : plan.profiler === VITEST_PROFILER
          ? secondsLeft() >= VITEST_MIN_SECONDS / 2
          : goSeconds >= GO_MIN_PROFILE_SECONDS;
    if (!least) {
      failed(`${Math.max(0, secondsLeft()).toFixed(1)} s of the profile budget (${o.budgetSeconds} s) were left`);
      continue;
    }
    const folder = newProfileFolder(o.folder, b.name, folders);
    const dir = join(o.folder, folder);
    o.onStatus?.(`profiling ${b.name} under ${plan.profiler} (head)`);
    try {
      let p = await profileHarnessSide(
        plan,
        target!.own,
        { side: 'head', root: head.root, within: head.within, cwd: join(head.root, target!.entry.cwd ?? head.within) },
        {
          dir,
          timeoutMs: secondsLeft() * 1000,
          secondsLeft,
          what: `the head of ${b.name}`,
          goIterations: goIterations(secondsPerCall, goSeconds),
          viaPerf,
        },
      );
      if (p.unit === 'ms')
        p = { ...p, self: scaled(p.self, toMeasured(p.self, secondsPerCall === null ? null : secondsPerCall * 1000)) };
      summary.profiled.push(b.name);
      const file = `${folder}/${p.file}`.split('\\').join('/');
      if (o.keepAll)
        kept.set(
          b.name,
          p.unit === 'ms'
            ? { keptProfile: { calls: Math.max(1, Math.round(p.calls)), functions: functionsToKeep(p.self) } }
            : {
                keptCountProfile: {
                  unit: 'instructions',
                  profiler: CALLGRIND,
                  calls: Math.max(1, Math.round(p.calls)),
                  functions: countsToKeep(p.counts),
                },
              },
        );
      if (regression) {
        const r = regressionProfile(b, p, file, took(), o);
        results.set(b.name, r);
        const said =
          'profile' in r
            ? (grewMost(r.profile.top[0], 'ms') ?? r.profile.note)
            : (grewMost(r.countProfile.top[0], 'instructions') ?? r.countProfile.note);
        o.onStatus?.(`${b.name}: ${said ?? ''}`);
      }
    } catch (e) {
      failed((e as Error).message);
    }
  }
  stop();
  return {
    benchmarks: benchmarks.map((b) => {
      const r = results.get(b.name);
      return r === undefined ? b : { ...b, ...r };
    }),
    summary,
    kept,
  };
}
