/** What a profiling process (./profile-worker.ts) is asked to do, passed as its single JSON argument. */
import type { Profile } from '../model.js';

/** One benchmark on one revision to profile. */
export interface ProfileJob {
  /** Suite module (null: the built-in kernels). */
  suite: string | null;
  profile: Profile;
  name: string;
  /** Seconds of calls before the profiler starts (the JIT's tiers up). */
  warmupSeconds: number;
  /** Seconds of profiled calls, at least {@link ProfileJob.minCalls} calls. */
  seconds: number;
  minCalls: number;
  /** V8's sampling interval in microseconds. */
  intervalUs: number;
  /** Which profiler: V8's CPU profiler (absent too) or its sampling heap profiler. */
  kind?: 'cpu' | 'heap';
  /** The heap profiler's mean bytes between samples. */
  samplingBytes?: number;
  /**
   * The control FIFOs of the `perf record` the process runs under (./perf-record.ts), when it
   * does: perf samples only while the CPU profiler does.
   */
  perfControl?: { ctl: string; ack: string };
  /** Where the `.cpuprofile` (or `.heapprofile`) goes. */
  out: string;
}
