/**
 * History mode: one revision's per-process medians against earlier runs of the same testbed.
 * The threshold comes from the noise measured in that history (the robust spread of run medians
 * in log space), never below a configured floor; too short a history gives no verdict.
 */
import { median, medianAbsoluteDeviation } from 'simple-statistics';
import type { Verdict } from '../model.js';

/** Options for `historyVerdict`. */
export interface HistoryVerdictOptions {
  /** Earlier runs needed before any verdict. */
  minRuns?: number;
  /** The smallest change that matters, in percent, whatever the noise. */
  minThresholdPct?: number;
  /** How many robust standard deviations of run-to-run noise a change must exceed. */
  noiseMultiple?: number;
}

/**
 * Decides whether `current` (this run's per-process medians, seconds) moved against `history`
 * (earlier runs' per-process medians, newest first).
 */
export function historyVerdict(current: number[], history: number[][], options: HistoryVerdictOptions = {}): Verdict {
  const { minRuns = 3, minThresholdPct = 2, noiseMultiple = 4 } = options;
  const runs = history.filter((r) => r.length > 0);
  const base = { method: 'history-robust-z', ciLowPct: null, ciHighPct: null, pValue: null };
  if (current.length === 0) {
    return { ...base, verdict: 'inconclusive', changePct: null, thresholdPct: null, reason: 'no completed measurement in this run', details: { runs: runs.length } };
  }
  if (runs.length < minRuns) {
    return {
      ...base,
      verdict: 'inconclusive',
      changePct: null,
      thresholdPct: null,
      reason: `history too short: ${runs.length} earlier run${runs.length === 1 ? '' : 's'} on this testbed, ${minRuns} needed`,
      details: { runs: runs.length, minRuns },
    };
  }
  const logRuns = runs.map((r) => Math.log(median(r)));
  const centre = median(logRuns);
  // 1.4826·MAD estimates the standard deviation of normal noise and ignores the odd 2× outlier run.
  const sigma = 1.4826 * (logRuns.length > 1 ? medianAbsoluteDeviation(logRuns) : 0);
  const thresholdLog = Math.max(Math.log1p(minThresholdPct / 100), noiseMultiple * sigma);
  const thresholdPct = 100 * Math.expm1(thresholdLog);
  const d = Math.log(median(current)) - centre;
  const changePct = 100 * Math.expm1(d);
  const details = { runs: runs.length, noisePct: 100 * Math.expm1(sigma), z: sigma > 0 ? d / sigma : null, noiseMultiple, minThresholdPct };
  const fmt = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`;
  if (d > thresholdLog) {
    return { ...base, verdict: 'regressed', changePct, thresholdPct, details, reason: `${fmt(changePct)} slower than the median of ${runs.length} earlier runs, beyond the ${thresholdPct.toFixed(1)}% threshold set by their noise` };
  }
  if (d < -thresholdLog) {
    return { ...base, verdict: 'improved', changePct, thresholdPct, details, reason: `${fmt(changePct)} against the median of ${runs.length} earlier runs, beyond the ${thresholdPct.toFixed(1)}% threshold` };
  }
  return { ...base, verdict: 'unchanged', changePct, thresholdPct, details, reason: `${fmt(changePct)} is within the ${thresholdPct.toFixed(1)}% threshold set by the noise of ${runs.length} earlier runs` };
}
