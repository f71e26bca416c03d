/**
 * Sets measured benchmarks against the roofline, round by round: in each round, min(FMA peak,
 * arithmetic intensity × bandwidth) with the roofs measured beside the kernel in that round's
 * process is the binding limit, and the kernel's fraction of it is achieved GFLOP/s over it (or GB/s
 * over bandwidth when the work counts no flops). A benchmark's fraction is the median over rounds
 * of those per-round fractions, with their interquartile range. Pure: numbers in, rows out.
 */
import type { BenchmarkState, MachineLimits, RoofFigures, RooflineResult, RooflineRound, Work } from '../model.js';
import { medianAndIqr } from './limits.js';

/** One round of one benchmark: its median call (null when that process failed) and the roofs beside it. */
export type MeasuredRound = Omit<RooflineRound, 'fraction'>;

/** One benchmark's measured figures, as the pipeline summarises them. */
export interface MeasuredCase {
  kernel: string;
  implementation: string;
  fixture: string;
  work: Work;
  state: BenchmarkState;
  reason: string | null;
  /** Median over rounds of the per-process median call. */
  medianSeconds: number | null;
  extraMemoryBytes: number | null;
  rounds: MeasuredRound[];
}

/** The roof that binds at `intensity` and its height in GFLOP/s (null when a roof is unknown). */
export function bindingRoof(
  intensity: number,
  roofs: RoofFigures,
): { boundBy: 'compute' | 'memory'; gflops: number } | null {
  const { fmaPeakGflops: peak, bandwidthGBs: bw } = roofs;
  if (peak === null || bw === null) return null;
  const memory = intensity * bw;
  return memory < peak ? { boundBy: 'memory', gflops: memory } : { boundBy: 'compute', gflops: peak };
}

/** Flops per byte of a work count; null when it counts no flops or no bytes. */
export function intensityOf(work: Work): number | null {
  return work.flops !== null && work.bytes !== null && work.bytes > 0 && work.flops > 0
    ? work.flops / work.bytes
    : null;
}

/** A kernel's fraction of the binding roof when one call of `work` takes `seconds` under `roofs`. */
export function fractionOfRoof(work: Work, seconds: number | null, roofs: RoofFigures): number | null {
  if (seconds === null || !(seconds > 0)) return null;
  const intensity = intensityOf(work);
  if (intensity !== null) {
    const roof = bindingRoof(intensity, roofs);
    return roof === null ? null : (work.flops as number) / seconds / 1e9 / roof.gflops;
  }
  if (work.bytes !== null && roofs.bandwidthGBs !== null) return work.bytes / seconds / 1e9 / roofs.bandwidthGBs;
  return null;
}

/** Each round's fraction of that round's roof, then their median and interquartile range. */
export function pairedFraction(
  work: Work,
  rounds: readonly MeasuredRound[],
): { rounds: RooflineRound[]; fraction: number | null; iqr: RooflineResult['fractionIqr'] } {
  const withFractions = rounds.map((r) => ({ ...r, fraction: fractionOfRoof(work, r.seconds, r) }));
  const { median, iqr } = medianAndIqr(withFractions.map((r) => r.fraction));
  return { rounds: withFractions, fraction: median, iqr };
}

/** Rows in the given order; the naive rung of each kernel is its first implementation listed. */
export function rooflineRows(cases: MeasuredCase[], machine: MachineLimits): RooflineResult[] {
  const naive = new Map<string, MeasuredCase>();
  for (const c of cases) if (!naive.has(c.kernel)) naive.set(c.kernel, c);
  const naiveOn = new Map<string, MeasuredCase>();
  for (const c of cases)
    if (c.implementation === naive.get(c.kernel)?.implementation) naiveOn.set(`${c.kernel}\0${c.fixture}`, c);
  return cases.map((c) => {
    const t = c.state === 'completed' ? c.medianSeconds : null;
    const gflops = t !== null && c.work.flops !== null ? c.work.flops / t / 1e9 : null;
    const gbps = t !== null && c.work.bytes !== null ? c.work.bytes / t / 1e9 : null;
    const intensity = intensityOf(c.work);
    const roof = intensity !== null ? bindingRoof(intensity, machine) : null;
    const paired = pairedFraction(c.work, c.rounds);
    const base = naiveOn.get(`${c.kernel}\0${c.fixture}`);
    const baseT = base?.state === 'completed' ? base.medianSeconds : null;
    return {
      kernel: c.kernel,
      implementation: c.implementation,
      fixture: c.fixture,
      state: c.state,
      reason: c.reason,
      medianSeconds: t,
      gflops,
      gbps,
      arithmeticIntensity: intensity,
      boundBy: roof?.boundBy ?? (intensity === null && c.work.bytes !== null ? 'memory' : null),
      fractionOfLimit: paired.fraction,
      fractionIqr: paired.iqr,
      rounds: paired.rounds,
      naiveImplementation: naive.get(c.kernel)?.implementation ?? c.implementation,
      speedupOverNaive: t !== null && baseT !== null && baseT !== undefined ? baseT / t : null,
      extraMemoryBytes: c.extraMemoryBytes,
    };
  });
}
