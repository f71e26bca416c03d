/**
 * How many rounds a measurement takes and how long each benchmark's task is: the time budget split
 * over rounds, sides and benchmarks, and for `compare` the look schedule and a task time re-sized
 * from what the rounds so far cost.
 */
import type { Isolation } from '../model.js';
import { lookSchedule, type Look } from '../stats/sequential-looks.js';
import type { MeasuredProcess } from './rounds.js';
import { callTimesMs, fitTaskTimeMs, sideCostMs } from './task-times.js';

/** Splits a total measuring budget over rounds, sides and benchmarks, within sane bounds. */
export function taskTimeFor(timeBudgetSeconds: number, rounds: number, sides: number, benchmarks: number): number {
  const ms = (timeBudgetSeconds * 1000) / Math.max(1, rounds * sides * benchmarks);
  return Math.min(10_000, Math.max(20, ms));
}

/**
 * Seconds each benchmark of a paired round costs beyond its warm-up and timed calls (setting up
 * both fixtures, the process start-up shared out), assumed before anything was measured;
 * `compare` then uses what its rounds so far showed.
 */
export const PAIRED_OVERHEAD_SECONDS = 0.12;

/**
 * The task time per side that fits `count` paired measurements (a benchmark in a round, two sides
 * each) into `seconds`, counting each side's warm-up and `overheadSeconds` each, before any call
 * time is known (./task-times.ts); within 20 ms – 10 s.
 */
export function pairedTaskTimeFor(seconds: number, count: number, overheadSeconds = PAIRED_OVERHEAD_SECONDS): number {
  return fitTaskTimeMs([0], (seconds / Math.max(1, count) - overheadSeconds) * 1000);
}

/**
 * Share of the time budget the first look is planned to take; the rest is for the later looks of
 * the benchmarks still inconclusive. A shorter task time adds little noise (most of it is per
 * process, not per call), so half the budget up front leaves the noisy benchmarks more rounds
 * (docs/method/detection.md compares the shares).
 */
export const FIRST_LOOK_SHARE = 0.5;

/**
 * Milliseconds per benchmark and side so that the first look takes its share of the time budget:
 * paired measurements with their setup and start-up counted, or one process per side. One-sided
 * benchmarks count as a paired one each.
 */
export function compareTaskTimeMs(
  timeBudget: number,
  firstLook: number,
  compared: number,
  oneSided: number,
  isolation: Isolation,
): number {
  const seconds = timeBudget * FIRST_LOOK_SHARE;
  return isolation === 'paired'
    ? pairedTaskTimeFor(seconds, firstLook * Math.max(1, compared + oneSided))
    : taskTimeFor(seconds, firstLook, 2, Math.max(1, compared + oneSided / 2));
}

/**
 * After a round of a paired comparison that comes before its first look: the task time at which
 * the rounds left before that look, of the benchmarks still measured (with these call times), fit
 * what is left of its share of the budget, less the set-up and start-up cost per benchmark and
 * round the rounds so far showed beyond their warm-ups and timed calls (`overheadMs`).
 */
export function resizedTaskTimeMs(o: {
  timeBudget: number;
  firstLook: number;
  roundsDone: number;
  seconds: number;
  overheadMs: number;
  callMs: number[];
}): number {
  const perRoundMs = ((o.timeBudget * FIRST_LOOK_SHARE - o.seconds) * 1000) / Math.max(1, o.firstLook - o.roundsDone);
  return fitTaskTimeMs(o.callMs, perRoundMs - o.overheadMs * o.callMs.length);
}

/** What a comparison's rounds are sized by. */
export interface RoundSizing {
  timeBudget: number;
  alpha: number;
  minRounds: number;
  maxRounds: number;
  isolation: Isolation;
}

/** The look schedule and the task time a comparison uses at a point of its measuring. */
export interface RoundsPlan {
  looks: Look[];
  taskTimeMs: number;
}

/**
 * How `compare` sizes its rounds (the detection benchmark sizes its A/A rounds with the same).
 * Before round 1: a task time for every compared benchmark, with {@link PAIRED_OVERHEAD_SECONDS} of set-up assumed each.
 * After round 1: the look schedule for the family this machine can run. After each round before
 * the first look, when paired: the task time again, from what all the rounds so far cost and the
 * benchmarks' call times (round 1 alone is too noisy a guide). From the first look on it stays; each round's d is a paired replicate whatever
 * task time it ran at.
 */
export function planRounds(
  o: RoundSizing,
  compared: number,
  oneSided: number,
): RoundsPlan & {
  afterRound: (round: number, family: number, seconds: number, measured: MeasuredProcess[]) => RoundsPlan;
  secondsFor: (rounds: number, names: readonly string[]) => number;
} {
  const scheduleFor = (benchmarks: number) =>
    lookSchedule({ benchmarks, alpha: o.alpha, minRounds: o.minRounds, maxRounds: o.maxRounds });
  const current: RoundsPlan = { looks: scheduleFor(compared), taskTimeMs: 0 };
  current.taskTimeMs = compareTaskTimeMs(
    o.timeBudget,
    (current.looks[0] as Look).rounds,
    compared,
    oneSided,
    o.isolation,
  );
  // Warm-ups and timed calls the rounds so far should have cost at their task times, how many
  // benchmarks they measured, and the seconds they took: the rest of those seconds is overhead.
  let predictedMs = 0;
  let measuredCount = 0;
  let secondsSoFar = 0;
  let calls = new Map<string, number>();
  const overheadMs = () =>
    measuredCount > 0 ? Math.max(0, secondsSoFar * 1000 - predictedMs) / measuredCount : PAIRED_OVERHEAD_SECONDS * 1000;
  return {
    ...current,
    afterRound(round, family, seconds, measured) {
      if (round === 1) current.looks = scheduleFor(family);
      const firstLook = (current.looks[0] as Look).rounds;
      calls = callTimesMs(measured);
      secondsSoFar = seconds;
      const inRound = new Set(measured.filter((m) => m.round === round).map((m) => m.name));
      const running = [...calls].filter(([name]) => inRound.has(name)).map(([, c]) => c);
      predictedMs += running.reduce((sum, c) => sum + 2 * sideCostMs(current.taskTimeMs, c), 0);
      measuredCount += running.length;
      if (o.isolation !== 'paired' || round >= firstLook || running.length === 0) return { ...current };
      // Benchmarks a screening found unchanged are no longer measured: their time goes to the others.
      current.taskTimeMs = resizedTaskTimeMs({
        timeBudget: o.timeBudget,
        firstLook,
        roundsDone: round,
        seconds,
        overheadMs: overheadMs(),
        callMs: running,
      });
      return { ...current };
    },
    /** Estimated seconds of `rounds` more rounds of the benchmarks `names`, at the current task time. */
    secondsFor(rounds, names) {
      return (
        (rounds *
          names.reduce(
            (sum, name) => sum + 2 * sideCostMs(current.taskTimeMs, calls.get(name) ?? 0) + overheadMs(),
            0,
          )) /
        1000
      );
    },
  };
}
