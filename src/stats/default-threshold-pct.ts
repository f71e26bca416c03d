/**
 * A data-driven default for the smallest change that matters: a quarter of the typical
 * per-round noise of d = ln(head/base), floored at 1%.
 *
 * Noise per benchmark is 1.4826·MAD(d) (a robust SD, unmoved by 2× outlier rounds); the suite's
 * noise is the median of those, so one very noisy benchmark does not raise everyone's threshold.
 * A change below a quarter of one round's spread is invisible to anyone reading a single run, and
 * the floor keeps long runs from flagging statistically real but practically tiny changes.
 */
import { medianAbsoluteDeviation, median } from 'simple-statistics';

/** Options of {@link defaultThresholdPct}. */
export interface DefaultThresholdOptions {
  /** Multiple of the robust SD of d (default 0.25). */
  multiplier?: number;
  /** Lower bound in percent (default 1). */
  floorPct?: number;
}

/** 1.4826: makes the MAD a consistent estimate of the SD under normal noise. */
export const MAD_TO_SD = 1.482602218505602;

/** Default threshold in percent from the suite's d arrays (benchmarks with < 3 rounds ignored). */
export function defaultThresholdPct(
  dArrays: readonly (readonly number[])[],
  options: DefaultThresholdOptions = {},
): number {
  const multiplier = options.multiplier ?? 0.25;
  const floorPct = options.floorPct ?? 1;
  const sds = dArrays
    .filter((d) => d.length >= 3 && d.every(Number.isFinite))
    .map((d) => MAD_TO_SD * medianAbsoluteDeviation(d as number[]));
  if (sds.length === 0) return floorPct;
  return Math.max(floorPct, 100 * Math.expm1(multiplier * median(sds)));
}
