/**
 * A benchmark's own threshold when the suite's is finer than its noise can resolve: the smallest
 * change that `maxRounds` rounds of it can tell apart from no change.
 *
 * The suite's default threshold (./default-threshold-pct.ts) comes from the typical benchmark's
 * noise, so a benchmark several times noisier than the rest can never be shown unchanged within
 * it. With per-round noise σ (the MAD's robust SD) over n rounds, the margin K·σ/√n holds an
 * unchanged benchmark's whole rank interval in about nine runs of ten at n = `maxRounds`; below it
 * the verdict is "inconclusive" for most unchanged runs whatever the budget. Its threshold is
 * that margin, when larger than the suite's: the verdict then says "unchanged within ±X%" for the
 * X it can resolve, and says so, instead of "inconclusive" about a margin no run of this length
 * reaches (docs/method/real-regressions.md, "Thresholds from a benchmark's own noise"). A
 * regression still needs its estimate above the (larger) threshold and a significant test, so
 * this never adds a false alarm.
 *
 * K = 4.2 by simulation (test/unit/stats/noise-threshold.test.ts): the normal-theory
 * (1.96 + 1.28)·√(π/3) = 3.32 held only 68–76% of A/A runs inside, because the exact signed-rank
 * interval is wider than the normal one and the MAD of 30–40 rounds is itself uncertain; 4.2
 * holds 88–95% at n = 29–40, with or without 5% of 2× outlier rounds.
 */
import { medianAbsoluteDeviation } from 'simple-statistics';
import { MAD_TO_SD } from './default-threshold-pct.js';

/** K: the margin in units of σ/√n that holds nine unchanged runs of ten inside. */
export const OWN_NOISE_MARGIN = 4.2;

/** Fewest rounds whose spread sets a threshold: a MAD of fewer says too little of the noise. */
export const OWN_NOISE_MIN_ROUNDS = 5;

/**
 * The threshold in percent that `maxRounds` rounds with the per-round noise of `d` (log ratios)
 * can resolve; null with fewer than {@link OWN_NOISE_MIN_ROUNDS} finite rounds.
 */
export function ownNoiseThresholdPct(d: readonly number[], maxRounds: number): number | null {
  if (!Number.isInteger(maxRounds) || maxRounds < 1)
    throw new RangeError(`maxRounds must be a positive integer, got ${maxRounds}`);
  const finite = d.filter(Number.isFinite);
  if (finite.length < OWN_NOISE_MIN_ROUNDS) return null;
  const sd = MAD_TO_SD * medianAbsoluteDeviation(finite);
  return 100 * Math.expm1((OWN_NOISE_MARGIN * sd) / Math.sqrt(maxRounds));
}

/** Rounds a threshold to two decimals upward, so the rule a user copies resolves what was said. */
export const roundUpPct = (x: number): number => Math.ceil(x * 100 - 1e-9) / 100;
