/**
 * Measures the machine's two roofs with the native addon: the FP64 FMA peak (independent FMA
 * chains at the widest SIMD level, every thread) and STREAM-triad bandwidth (arrays of 2^24
 * doubles, 128 MiB each, far beyond any last-level cache; every thread). Best of several
 * repetitions, as STREAM reports, since a shared machine only ever makes a probe slower.
 */
import { loadNative, nativeUnavailableReason } from '../addon/index.js';
import type { MachineLimits } from '../model.js';
import { benchThreads } from '../measure/threads.js';

/** Elements per triad array: 3 × 128 MiB. */
export const TRIAD_ELEMENTS = 2 ** 24;

/** Probes the limits, or returns nulls with the reason when the native addon is missing. */
export function measureMachineLimits(threads: number = benchThreads()): MachineLimits {
  const reason = nativeUnavailableReason();
  if (reason !== null) return { fmaPeakGflops: null, bandwidthGBs: null, simd: 'scalar', threads, reason };
  const addon = loadNative();
  return {
    fmaPeakGflops: addon.fmaPeak(threads, 40),
    bandwidthGBs: addon.triadBandwidth(threads, TRIAD_ELEMENTS, 20),
    simd: addon.simdLevel(),
    threads,
    reason: null,
  };
}
