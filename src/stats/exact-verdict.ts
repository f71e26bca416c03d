/**
 * The verdict on an exact measure (a count that repeats from run to run, such as `instructions`):
 * one count per side, no rounds and no test. A change beyond the threshold is regressed or
 * improved (by the measure's direction), anything within it unchanged. Exact measures take no
 * share of α: there is no chance in a repeatable count to correct for.
 */
import { measureInfo, type MeasureName, type Verdict } from '../model.js';

/**
 * The default threshold of an exact measure, in percent. Two runs of one build count the same to
 * within a few parts per million (docs/method/measures.md), so this is not about noise: it passes
 * the small shifts code layout and JIT decisions make in unrelated code, and still catches a
 * kernel doing 1% more work.
 */
export const EXACT_THRESHOLD_PCT = 0.5;

/** Method name stored with the verdict. */
export const EXACT_METHOD = 'exact-count';

const pct = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(2)}%`;
const count = (x: number) => Math.round(x).toLocaleString('en-US');

/** `before` (base or history) against `after` (head) of `measure`, at `thresholdPct` (default {@link EXACT_THRESHOLD_PCT}). */
export function exactVerdict(
  measure: MeasureName,
  before: number | null,
  after: number | null,
  thresholdPct: number = EXACT_THRESHOLD_PCT,
): Verdict {
  const { label, better } = measureInfo(measure);
  const base = { method: EXACT_METHOD, ciLowPct: null, ciHighPct: null, pValue: null, thresholdPct };
  const valid = (x: number | null): x is number => x !== null && Number.isFinite(x) && x >= 0;
  if (!valid(before) || !valid(after))
    return {
      ...base,
      kind: 'inconclusive',
      changePct: null,
      reason: `no ${label} count on ${valid(before) ? 'the head' : 'the baseline'} side to compare`,
      details: { before, after },
    };
  const changePct = before === 0 ? (after === 0 ? 0 : Infinity) : (100 * (after - before)) / before;
  const beyond = Math.abs(changePct) > thresholdPct;
  const worse = better === 'lower' ? changePct > 0 : changePct < 0;
  const kind = !beyond ? 'unchanged' : worse ? 'regressed' : 'improved';
  const shown = Number.isFinite(changePct) ? pct(changePct) : 'from zero';
  return {
    ...base,
    kind,
    changePct: Number.isFinite(changePct) ? changePct : null,
    ciLowPct: Number.isFinite(changePct) ? changePct : null,
    ciHighPct: Number.isFinite(changePct) ? changePct : null,
    reason: `the ${label} count is exact (one count per side, no rounds): ${count(before)} → ${count(after)} (${shown}), ${beyond ? 'beyond' : 'within'} the ${thresholdPct}% threshold`,
    details: { before, after },
  };
}
