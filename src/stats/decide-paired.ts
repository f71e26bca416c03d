/**
 * The verdict for one benchmark from its per-round log ratios d = ln(head/base): a one-sided
 * signed-rank (or sign-flip) test for significance, the Hodges–Lehmann estimate for the size,
 * and its signed-rank interval for "unchanged".
 */
import type { Verdict } from '../model.js';
import { medianAbsoluteDeviation } from 'simple-statistics';
import { MAD_TO_SD } from './default-threshold-pct.js';
import { hodgesLehmann } from './hodges-lehmann.js';
import { hodgesLehmannInterval } from './hodges-lehmann-interval.js';
import { DEFAULT_PAIRED_TEST, pairedPValues, type PairedTest } from './paired-p-values.js';

/** Options of {@link decidePaired}. */
export interface PairedDecisionOptions {
  /** The smallest change that matters, in percent of the base time (e.g. 2 for 2%). */
  thresholdPct: number;
  /** Significance level for this benchmark, already corrected for the family by the caller (default 0.01). */
  alpha?: number;
  /** Fewer rounds than this give inconclusive (default 5). */
  minRounds?: number;
  /** Confidence of the reported interval and of the "unchanged" rule (default 0.95). */
  confidence?: number;
  /** `cappedRank` (default: signed ranks capped at a third of n, robust to 2× outliers), `wilcoxon` or `signFlip` (on the mean). */
  test?: PairedTest;
  /** Monte Carlo draws and seed of the sign-flip test above n = 20. */
  iterations?: number;
  seed?: number;
  /** Family-adjusted one-sided p-values (from {@link decideSuite}); replace the raw ones in the rule. */
  adjustedPValues?: { greater: number; less: number };
}

const pct = (logRatio: number): number => 100 * Math.expm1(logRatio);
const fmt = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(2)}%`;
const fmtP = (p: number): string => (p < 1e-4 ? p.toExponential(1) : p.toPrecision(2));

/**
 * regressed: p(greater) < alpha and estimate > +threshold; improved: the mirror image;
 * unchanged: the whole interval inside ±threshold; otherwise (or with too few rounds) inconclusive.
 */
export function decidePaired(d: readonly number[], options: PairedDecisionOptions): Verdict {
  const alpha = options.alpha ?? 0.01;
  const minRounds = options.minRounds ?? 5;
  const confidence = options.confidence ?? 0.95;
  const test = options.test ?? DEFAULT_PAIRED_TEST;
  const thresholdPct = options.thresholdPct;
  if (!(thresholdPct >= 0)) throw new RangeError(`thresholdPct must be a non-negative number, got ${thresholdPct}`);
  const method = {
    cappedRank: 'paired-capped-rank-hl',
    wilcoxon: 'paired-wilcoxon-hl',
    signFlip: 'paired-signflip-hl',
  }[test];
  const n = d.length;
  const base = { method, thresholdPct };
  const none = { changePct: null, ciLowPct: null, ciHighPct: null, pValue: null };

  if (d.some((x) => !Number.isFinite(x))) {
    return {
      ...base,
      ...none,
      kind: 'inconclusive',
      reason: 'Some rounds gave a non-finite time ratio.',
      details: { n },
    };
  }
  if (n < minRounds) {
    return {
      ...base,
      ...none,
      kind: 'inconclusive',
      reason: `Only ${n} paired round${n === 1 ? '' : 's'}; at least ${minRounds} are needed for a verdict.`,
      details: { n, minRounds },
    };
  }

  const raw = pairedPValues(d, test, { iterations: options.iterations, seed: options.seed });
  const pGreater = options.adjustedPValues?.greater ?? raw.greater;
  const pLess = options.adjustedPValues?.less ?? raw.less;
  const hl = hodgesLehmann(d) as number;
  const ci = hodgesLehmannInterval(d, confidence);
  const changePct = pct(hl);
  const ciLowPct = ci ? pct(ci.low) : null;
  const ciHighPct = ci ? pct(ci.high) : null;
  // The per-round noise (robust SD of d), so an inconclusive verdict says what held it back.
  const roundNoisePct = 100 * MAD_TO_SD * medianAbsoluteDeviation(d as number[]);
  const details: Record<string, unknown> = {
    n,
    roundNoisePct,
    test,
    testMethod: raw.method,
    alpha,
    confidence,
    minRounds,
    hodgesLehmannLog: hl,
    pGreater,
    pLess,
    rawPGreater: raw.greater,
    rawPLess: raw.less,
    adjusted: options.adjustedPValues !== undefined,
    interval: ci
      ? { lowLog: ci.low, highLog: ci.high, achievedConfidence: ci.achievedConfidence, method: ci.method }
      : null,
  };
  const common = { ...base, changePct, ciLowPct, ciHighPct, details };
  const ciText = ci
    ? ` (${Math.round(confidence * 100)}% CI ${fmt(ciLowPct as number)} to ${fmt(ciHighPct as number)})`
    : '';

  if (pGreater < alpha && changePct > thresholdPct) {
    return {
      ...common,
      kind: 'regressed',
      pValue: pGreater,
      reason: `Slower by ${fmt(changePct)}${ciText}, above the ${thresholdPct}% threshold, p = ${fmtP(pGreater)} < ${alpha}.`,
    };
  }
  if (pLess < alpha && changePct < -thresholdPct) {
    return {
      ...common,
      kind: 'improved',
      pValue: pLess,
      reason: `Faster by ${fmt(changePct)}${ciText}, beyond the ${thresholdPct}% threshold, p = ${fmtP(pLess)} < ${alpha}.`,
    };
  }
  const pValue = hl >= 0 ? pGreater : pLess;
  if (ciLowPct !== null && ciHighPct !== null && ciLowPct >= -thresholdPct && ciHighPct <= thresholdPct) {
    return {
      ...common,
      kind: 'unchanged',
      pValue,
      reason: `Change ${fmt(changePct)}${ciText} lies within ±${thresholdPct}%.`,
    };
  }
  // Explain what is missing: size, significance, or data to reach either.
  let why: string;
  const smallestP = test !== 'signFlip' && n <= 50 ? 2 ** -n : null;
  if (!ci) why = `${n} rounds are too few for a ${Math.round(confidence * 100)}% interval`;
  else if (smallestP !== null && smallestP >= alpha)
    why = `${n} rounds cannot reach p < ${alpha} (smallest possible p is ${fmtP(smallestP)})`;
  else if (Math.abs(changePct) > thresholdPct)
    why = `the estimate is beyond ±${thresholdPct}% but p = ${fmtP(pValue)} is not below ${alpha}`;
  else why = `the interval reaches beyond ±${thresholdPct}%`;
  return {
    ...common,
    kind: 'inconclusive',
    pValue,
    reason: `Change ${fmt(changePct)}${ciText}: ${why} (per-round noise ${roundNoisePct.toFixed(1)}% over ${n} rounds).`,
  };
}
