/**
 * An inconclusive verdict says what its rounds could have caught: the slowdown that as many
 * rounds with the same noise flag 9 times in 10 at the level of the look that decided it (its α
 * over the family). "Inconclusive" then reads as "a slowdown of 7.6% or more would very likely
 * have shown", not as nothing.
 */
import type { Verdict } from '../model.js';
import { detectableChangePct } from './detectable-change.js';

/** The same verdict, with `details.detectableSlowdownPct` and a sentence more in its reason when inconclusive. */
export function withDetectableChange(v: Verdict, d: readonly number[]): Verdict {
  const lookAlpha = v.details.lookAlpha;
  const familySize = v.details.familySize;
  if (
    v.kind !== 'inconclusive' ||
    typeof lookAlpha !== 'number' ||
    typeof familySize !== 'number' ||
    !(lookAlpha > 0) ||
    familySize < 1 ||
    d.length === 0
  )
    return v;
  // The rounds the verdict was decided on (a screening after its look may have measured more:
  // those only sharpen the estimate of the noise).
  const rounds = typeof v.details.n === 'number' && v.details.n >= 1 ? v.details.n : d.length;
  const pct = detectableChangePct(d, { level: lookAlpha / familySize, rounds, thresholdPct: v.thresholdPct ?? 0 });
  if (pct === null) return v;
  const sentence = Number.isFinite(pct)
    ? `At this noise ${rounds} rounds catch a slowdown of ${pct.toFixed(1)}% or more 9 times in 10.`
    : `${rounds} rounds cannot reach the level of its look (${(lookAlpha / familySize).toPrecision(2)}) whatever the change.`;
  return {
    ...v,
    reason: `${v.reason} ${sentence}`,
    details: { ...v.details, detectableSlowdownPct: Number.isFinite(pct) ? pct : null },
  };
}
