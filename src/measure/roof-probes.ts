/**
 * The machine's two roofs as calls a worker times beside a kernel (./alternate.ts): a pass of
 * independent FMA chains of fixed work, and a STREAM-triad pass over three arrays of 2^24 doubles
 * (128 MiB each, far beyond any last-level cache) allocated once per process, after the
 * benchmark's setup so that they do not count as its extra memory. Each pass reports its work, so a
 * median call time becomes GFLOP/s or GB/s.
 */
import { loadNative, nativeUnavailableReason } from '../addon/index.js';

/** Elements per triad array: 3 × 128 MiB. */
export const TRIAD_ELEMENTS = 2 ** 24;

/** Which roof a probe measures. */
export type RoofName = 'fma' | 'triad';

/** One probe: the call to time, and the work (flops or bytes) its last call did. */
export interface RoofProbe {
  roof: RoofName;
  run: () => void;
  work: () => number;
}

let triadArrays: [Float64Array, Float64Array, Float64Array] | null = null;

/** The two probes on `threads` threads, or the reason there are none (no native addon). */
export function roofProbes(threads: number): { probes: RoofProbe[]; reason: string | null } {
  const reason = nativeUnavailableReason();
  if (reason !== null) return { probes: [], reason };
  const addon = loadNative();
  triadArrays ??= [
    new Float64Array(TRIAD_ELEMENTS),
    new Float64Array(TRIAD_ELEMENTS).fill(1),
    new Float64Array(TRIAD_ELEMENTS).fill(2),
  ];
  const [a, b, c] = triadArrays;
  let flops = 0;
  let bytes = 0;
  return {
    probes: [
      { roof: 'fma', run: () => void (flops = addon.fmaPass(threads)), work: () => flops },
      { roof: 'triad', run: () => void (bytes = addon.triadPass(threads, a, b, c)), work: () => bytes },
    ],
    reason: null,
  };
}
