/**
 * History mode: one run's per-process medians against earlier runs of the same testbed.
 *
 * Method ("history-robust-t"): each run is summarised by the median of its per-process medians
 * (robust to a 2× outlier process) and compared on the log scale. The history's level L is the
 * median of its K run summaries; its between-run noise s is the larger of 1.4826·MAD and
 * √(π/2)·(mean absolute deviation from L) of their logs (both estimate the SD), but never
 * less than the noise of a run median implied by the spread inside runs (a run median of n
 * processes with per-process robust SD σ has SD ≈ σ·√(π/(2n))), so a history of near-identical
 * runs cannot make the test over-confident. The shift δ = ln(current median) − L has standard
 * error s·√(1 + π/(2K)) (this run's noise plus that of a median of K runs); t = δ/se is referred
 * to Student's t with K−1 degrees of freedom, which widens the test for short histories. The
 * practical threshold is `thresholdMultiplier`·s (default 2), floored at 1%: a shift smaller
 * than twice the run-to-run noise of this testbed is not called. The rule is decidePaired's:
 * significant and beyond the threshold, or the interval δ ± t(K−1)·se inside ±threshold.
 */
import { median, medianAbsoluteDeviation } from 'simple-statistics';
import type { Verdict } from '../model.js';
import { MAD_TO_SD } from './default-threshold-pct.js';
import { studentTCdf } from './student-t-cdf.js';
import { studentTQuantile } from './student-t-quantile.js';

/** Options of {@link historyVerdict}. */
export interface HistoryOptions {
  /** One-sided significance level (default 0.01). */
  alpha?: number;
  /** Fewest previous runs for a verdict (default 3). */
  minRuns?: number;
  /** Confidence of the interval and of "unchanged" (default 0.95). */
  confidence?: number;
  /** Fixed threshold in percent; by default derived from the history's noise. */
  thresholdPct?: number;
  /** Threshold as a multiple of the between-run robust SD (default 2). */
  thresholdMultiplier?: number;
  /** Lower bound of the derived threshold in percent (default 1). */
  floorPct?: number;
}

const fmt = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(2)}%`;

/** Verdict of `current` (per-process medians, seconds) against `history` (earlier runs' medians). */
export function historyVerdict(
  current: readonly number[],
  history: readonly (readonly number[])[],
  options: HistoryOptions = {},
): Verdict {
  const alpha = options.alpha ?? 0.01;
  const minRuns = options.minRuns ?? 3;
  const confidence = options.confidence ?? 0.95;
  const multiplier = options.thresholdMultiplier ?? 2;
  const floorPct = options.floorPct ?? 1;
  const method = 'history-robust-t';
  const none = { changePct: null, ciLowPct: null, ciHighPct: null, pValue: null };
  const valid = (xs: readonly number[]) => xs.length > 0 && xs.every((x) => Number.isFinite(x) && x > 0);

  const runs = history.filter(valid);
  if (!valid(current)) {
    return {
      ...none,
      method,
      kind: 'inconclusive',
      thresholdPct: options.thresholdPct ?? null,
      reason: 'This run has no valid (positive, finite) measurements.',
      details: { runs: runs.length },
    };
  }
  if (runs.length < minRuns) {
    return {
      ...none,
      method,
      kind: 'inconclusive',
      thresholdPct: options.thresholdPct ?? null,
      reason: `History too short: ${runs.length} previous run${runs.length === 1 ? '' : 's'} on this testbed, ${minRuns} needed.`,
      details: { runs: runs.length, minRuns },
    };
  }

  const k = runs.length;
  const logMedians = runs.map((r) => Math.log(median(r as number[])));
  const level = median(logMedians);
  // MAD alone is too inefficient on a handful of runs (it underestimated the spread by half in
  // simulation, doubling false alarms); the mean absolute deviation is steadier and an outlier
  // run can only inflate it, which errs on the side of no alarm.
  const meanAbsDev = logMedians.reduce((sum, l) => sum + Math.abs(l - level), 0) / k;
  const between = Math.max(MAD_TO_SD * medianAbsoluteDeviation(logMedians), Math.sqrt(Math.PI / 2) * meanAbsDev);
  // Within-run floor: the SD a run median has from process-to-process noise alone.
  const withinSds = [...runs, current]
    .filter((r) => r.length >= 3)
    .map((r) => MAD_TO_SD * medianAbsoluteDeviation(r.map(Math.log)) * Math.sqrt(Math.PI / (2 * r.length)));
  const within = withinSds.length > 0 ? median(withinSds) : 0;
  const s = Math.max(between, within);

  const delta = Math.log(median(current as number[])) - level;
  const se = s * Math.sqrt(1 + Math.PI / (2 * k));
  const df = k - 1;
  const changePct = 100 * Math.expm1(delta);
  const thresholdPct = options.thresholdPct ?? Math.max(floorPct, 100 * Math.expm1(multiplier * s));
  const details: Record<string, unknown> = {
    runs: k,
    minRuns,
    alpha,
    confidence,
    df,
    levelLog: level,
    deltaLog: delta,
    betweenRunSdLog: between,
    withinRunSdLog: within,
    noiseSdLog: s,
    standardErrorLog: se,
    thresholdSource: options.thresholdPct === undefined ? 'history-noise' : 'configured',
  };
  if (se === 0) {
    const kind = delta === 0 ? 'unchanged' : 'inconclusive';
    return {
      ...none,
      method,
      kind,
      changePct,
      thresholdPct,
      details,
      reason:
        kind === 'unchanged'
          ? 'Identical to a noiseless history.'
          : 'History has no measurable noise to judge a change against.',
    };
  }
  const t = delta / se;
  const pGreater = studentTCdf(-t, df);
  const pLess = studentTCdf(t, df);
  const half = studentTQuantile(1 - (1 - confidence) / 2, df) * se;
  const ciLowPct = 100 * Math.expm1(delta - half);
  const ciHighPct = 100 * Math.expm1(delta + half);
  Object.assign(details, { t, pGreater, pLess });
  const common = { method, changePct, ciLowPct, ciHighPct, thresholdPct, details };
  const ciText = `(${Math.round(confidence * 100)}% CI ${fmt(ciLowPct)} to ${fmt(ciHighPct)}) vs the median of ${k} previous runs`;

  if (pGreater < alpha && changePct > thresholdPct) {
    return {
      ...common,
      kind: 'regressed',
      pValue: pGreater,
      reason: `Slower by ${fmt(changePct)} ${ciText}, above the ${thresholdPct.toFixed(2)}% threshold from history noise.`,
    };
  }
  if (pLess < alpha && changePct < -thresholdPct) {
    return {
      ...common,
      kind: 'improved',
      pValue: pLess,
      reason: `Faster by ${fmt(changePct)} ${ciText}, beyond the ${thresholdPct.toFixed(2)}% threshold from history noise.`,
    };
  }
  const pValue = delta >= 0 ? pGreater : pLess;
  if (ciLowPct >= -thresholdPct && ciHighPct <= thresholdPct) {
    return {
      ...common,
      kind: 'unchanged',
      pValue,
      reason: `Change ${fmt(changePct)} ${ciText} lies within ±${thresholdPct.toFixed(2)}%.`,
    };
  }
  return {
    ...common,
    kind: 'inconclusive',
    pValue,
    reason: `Change ${fmt(changePct)} ${ciText}: not both significant and beyond ±${thresholdPct.toFixed(2)}%, nor clearly within it.`,
  };
}
