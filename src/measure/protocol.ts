/** The messages between the round scheduler and a worker process (over Node's IPC channel). */
import type { ProcessMeasurement, RoofFigures, Side, Profile } from '../model.js';

/** One revision's suite in a worker. */
export interface WorkerSide {
  side: Side;
  /** Suite module (null: the built-in kernels). */
  suite: string | null;
}

/**
 * What a worker is asked to measure, in this order. With one side, each benchmark is timed by
 * tinybench; with two (a paired process), both revisions' cases are loaded side by side and timed
 * in alternating blocks (./alternate.ts).
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
   * A roofline job: each benchmark (one side) is timed with the probes of the machine's roofs
   * between its blocks of calls (./measure-beside-roofs.ts), and its result carries the roofs.
   */
  roofProbes?: boolean;
  /** Also count the JS heap bytes each benchmark allocates per call, in a pass after its timing. */
  allocations?: boolean;
}

/**
 * Warm-up per benchmark and side, in milliseconds: a quarter of the task time, within 10–500 ms,
 * and at least {@link WARMUP_CALLS} calls. Both sides warm up in turn and are timed in alternating
 * blocks whose median is kept, so a call or two still running slower code counts for little; a
 * longer warm-up cost the slow JS rungs more than their timed calls (docs/method/detection.md).
 */
export function warmupMsFor(taskTimeMs: number): number {
  return Math.min(Math.max(taskTimeMs / 4, 10), 500);
}

/** Warm-up calls per benchmark and side, at least: a long call is tiered up (on-stack) within its first. */
export const WARMUP_CALLS = 2;

/** The summary fields of a side that measured nothing (errored or skipped). */
export const NOTHING_MEASURED = {
  samples: 0,
  medianSeconds: null,
  meanSeconds: null,
  minSeconds: null,
  maxSeconds: null,
  madSeconds: null,
} as const;

/**
 * One benchmark's summary of one side from a worker, without the round (the scheduler adds it);
 * in a roofline job, with the roofs measured beside it.
 */
export type WorkerResult = { type: 'result'; name: string; roofs?: RoofFigures } & Omit<ProcessMeasurement, 'round'>;

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

/** One process counted under callgrind (./instructions-worker.ts): set up `name`, call it `calls` times. */
export interface CountJob {
  /** Suite module (null: the built-in kernels). */
  suite: string | null;
  profile: Profile;
  name: string;
  calls: number;
}

/** Exit code of a counted process whose case cannot run here (no device, no library). */
export const EXIT_SKIPPED = 3;
