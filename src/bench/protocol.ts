/** The messages between the round scheduler and a worker process (over Node's IPC channel). */
import type { ProcessMeasurement } from '../model.js';
import type { Profile } from './suite-types.js';

/** What a worker is asked to measure, in this order. */
export interface WorkerJob {
  suite: string | null;
  profile: Profile;
  names: string[];
  /** tinybench time budget per benchmark, in milliseconds. */
  taskTimeMs: number;
  /** Minimum timed calls per benchmark. */
  minIterations: number;
}

/** One benchmark's summary from a worker, without the round and side (the scheduler adds them). */
export type WorkerResult = { type: 'result'; name: string } & Omit<ProcessMeasurement, 'round' | 'side'>;

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
