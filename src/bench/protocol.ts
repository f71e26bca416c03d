/** The messages between the round scheduler and a worker process (over Node's IPC channel). */
import type { ProcessMeasurement, Side } from '../model.js';
import type { Profile } from './suite-types.js';

/** One revision's suite in a worker. */
export interface WorkerSide {
  side: Side;
  /** Suite module (null: the built-in kernels). */
  suite: string | null;
}

/**
 * What a worker is asked to measure, in this order. With one side, each benchmark is timed by
 * tinybench; with two (a paired process), both revisions' cases are loaded side by side and timed
 * in alternating blocks (src/bench/alternate.ts).
 */
export interface WorkerJob {
  sides: WorkerSide[];
  profile: Profile;
  names: string[];
  /** Time budget per benchmark and side, in milliseconds. */
  taskTimeMs: number;
  /** Minimum timed calls per benchmark and side. */
  minIterations: number;
  /**
   * Paired only: most fixtures set up per side, the blocks rotating over them (default 1). More
   * are set up only while their setup fits {@link extraFixtures}' share of the task time.
   */
  maxFixtures?: number;
}

/**
 * How many more fixtures per side a paired benchmark gets: as many as fit in half a task time of
 * setup (`setupMs` is what the first fixture's setup took), up to `maxFixtures` in all.
 */
export function extraFixtures(setupMs: number, taskTimeMs: number, maxFixtures: number): number {
  if (!(maxFixtures > 1)) return 0;
  return Math.max(0, Math.min(maxFixtures - 1, Math.floor(taskTimeMs / 2 / Math.max(setupMs, 1))));
}

/** Warm-up per benchmark and side: long enough for V8 to tier the code up and caches to fill. */
export function warmupMsFor(taskTimeMs: number): number {
  return Math.min(Math.max(taskTimeMs / 4, 30), 500);
}

/** The summary fields of a side that measured nothing (errored or skipped). */
export const NOTHING_MEASURED = { samples: 0, medianSeconds: null, meanSeconds: null, minSeconds: null, maxSeconds: null, madSeconds: null } as const;

/** One benchmark's summary of one side from a worker, without the round (the scheduler adds it). */
export type WorkerResult = { type: 'result'; name: string } & Omit<ProcessMeasurement, 'round'>;

/** Sent before each benchmark starts, so a crash or hang can be blamed on the right one. */
export interface WorkerStarted {
  type: 'started';
  name: string;
}

/** Sent when the whole job is done. */
export interface WorkerDone {
  type: 'done';
}

/** A failure outside any benchmark (the suite did not load). */
export interface WorkerFatal {
  type: 'fatal';
  message: string;
}

/** Anything a worker sends. */
export type WorkerMessage = WorkerResult | WorkerStarted | WorkerDone | WorkerFatal;
