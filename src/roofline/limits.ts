/**
 * The machine's limits from the probe figures measured beside the benchmarks: each roof is the
 * median over every process's figure (every benchmark in every round) with its interquartile
 * range, so a roof describes the machine over the whole run rather than the moment it was probed.
 */
import type { Interquartile, MachineLimits, RoofFigures } from '../model.js';
import { quartiles } from '../stats/quartiles.js';

/** The median and interquartile range of the non-null values; nulls when there are none. */
export function medianAndIqr(values: readonly (number | null)[]): {
  median: number | null;
  iqr: Interquartile | null;
} {
  const q = quartiles(values.filter((v): v is number => v !== null));
  return q === null ? { median: null, iqr: null } : { median: q.median, iqr: [q.q1, q.q3] };
}

/** Where the probes ran: the SIMD level, the threads, and why there are no figures (no native addon). */
export interface ProbeSetting {
  simd: string;
  threads: number;
  reason: string | null;
}

/** Sums up every process's roof figures. */
export function machineLimits(figures: readonly RoofFigures[], setting: ProbeSetting): MachineLimits {
  const fma = medianAndIqr(figures.map((f) => f.fmaPeakGflops));
  const triad = medianAndIqr(figures.map((f) => f.bandwidthGBs));
  const measured = fma.median !== null || triad.median !== null;
  return {
    fmaPeakGflops: fma.median,
    fmaPeakIqr: fma.iqr,
    bandwidthGBs: triad.median,
    bandwidthIqr: triad.iqr,
    probes: figures.filter((f) => f.fmaPeakGflops !== null || f.bandwidthGBs !== null).length,
    simd: setting.simd,
    threads: setting.threads,
    reason: setting.reason ?? (measured ? null : 'no benchmark completed beside the probes'),
  };
}
