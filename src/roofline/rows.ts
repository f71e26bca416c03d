/**
 * Sets measured benchmarks against the roofline: min(FMA peak, arithmetic intensity × bandwidth)
 * is the binding limit at a kernel's intensity; the fraction is achieved GFLOP/s over it (or GB/s
 * over bandwidth when the work counts no flops). Pure: numbers in, rows out.
 */
import type { BenchmarkState, MachineLimits, RooflineResult, Work } from '../model.js';

/** One benchmark's measured figures, as the pipeline summarises them. */
export interface MeasuredCase {
  kernel: string;
  implementation: string;
  fixture: string;
  work: Work;
  state: BenchmarkState;
  reason: string | null;
  medianSeconds: number | null;
  extraMemoryBytes: number | null;
}

/** The roof that binds at `intensity` and its height in GFLOP/s (null when a limit is unknown). */
export function bindingRoof(
  intensity: number,
  machine: Pick<MachineLimits, 'fmaPeakGflops' | 'bandwidthGBs'>,
): { boundBy: 'compute' | 'memory'; gflops: number } | null {
  const { fmaPeakGflops: peak, bandwidthGBs: bw } = machine;
  if (peak === null || bw === null) return null;
  const memory = intensity * bw;
  return memory < peak ? { boundBy: 'memory', gflops: memory } : { boundBy: 'compute', gflops: peak };
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
    const intensity =
      c.work.flops !== null && c.work.bytes !== null && c.work.bytes > 0 && c.work.flops > 0
        ? c.work.flops / c.work.bytes
        : null;
    const roof = intensity !== null ? bindingRoof(intensity, machine) : null;
    let fraction: number | null = null;
    if (roof !== null && gflops !== null) fraction = gflops / roof.gflops;
    else if (intensity === null && gbps !== null && machine.bandwidthGBs !== null)
      fraction = gbps / machine.bandwidthGBs;
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
      fractionOfLimit: fraction,
      naiveImplementation: naive.get(c.kernel)?.implementation ?? c.implementation,
      speedupOverNaive: t !== null && baseT !== null && baseT !== undefined ? baseT / t : null,
      extraMemoryBytes: c.extraMemoryBytes,
    };
  });
}
