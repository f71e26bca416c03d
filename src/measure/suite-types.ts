/**
 * What a benchmark suite is made of. benchgate's own kernels (`kernels/`) and a user's suite
 * module (config key `suite`) both export a `Suite`; the worker process runs its cases.
 */
import type { Profile, Work } from '../model.js';

/** Thrown by `setup` when a case cannot run here (no addon, no GPU): recorded as `skipped`. */
export class SkipBenchmark extends Error {
  override name = 'SkipBenchmark';
}

/** A prepared benchmark: the function tinybench times, and an optional clean-up. */
export interface PreparedCase {
  /** One call of the measured work. Setup cost stays outside. */
  run: () => unknown;
  /** Releases what setup allocated (large fixtures). */
  teardown?: () => void;
  /** Peak memory beyond the fixture that preparing and one call needed, in bytes, when measured. */
  extraMemoryBytes?: number;
}

/** One benchmark of a suite, listed without running anything. */
export interface BenchmarkCase {
  kernel: string;
  implementation: string;
  fixture: string;
  /** Checksum of the fixture's data; cheap to compute or precomputed by the generator. */
  fixtureChecksum: string;
  work: Work;
  /** Builds the fixture and returns the callable; throws SkipBenchmark when it cannot run. */
  setup: () => PreparedCase | Promise<PreparedCase>;
}

/** A suite: the cases of one profile. */
export interface Suite {
  name: string;
  cases: (profile: Profile) => BenchmarkCase[];
}

/** The canonical name of a case, `kernel/implementation/fixture`. */
export function caseName(c: Pick<BenchmarkCase, 'kernel' | 'implementation' | 'fixture'>): string {
  return `${c.kernel}/${c.implementation}/${c.fixture}`;
}
