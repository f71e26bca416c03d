/**
 * An inconclusive verdict says what a user can do about it: how many rounds would decide it (more
 * `time-budget`, and `max-rounds` where that caps it), the threshold its rounds already resolve (a
 * `benchmarks` rule that accepts it), or `ignore` to keep it informational. The forecast is
 * src/stats/rounds-to-decide.ts.
 */
import type { Verdict } from '../model.js';
import { roundsToDecide } from '../stats/rounds-to-decide.js';

/** What the advice needs to know of the run. */
export interface AdviceContext {
  /** The benchmark's name, for the rule to write. */
  name: string;
  /** The run's `max-rounds`. */
  maxRounds: number;
}

/** The threshold in percent the interval lies within, rounded up to a half percent. */
function resolvedPct(v: Verdict): number | null {
  if (v.ciLowPct === null || v.ciHighPct === null) return null;
  return Math.ceil(2 * Math.max(Math.abs(v.ciLowPct), Math.abs(v.ciHighPct))) / 2;
}

/** The same verdict with `details.advice` and a sentence more in its reason when inconclusive. */
export function withAdvice(v: Verdict, d: readonly number[], c: AdviceContext): Verdict {
  if (v.kind !== 'inconclusive' || d.length === 0) return v;
  const lookAlpha = typeof v.details.lookAlpha === 'number' ? v.details.lookAlpha : 0.01;
  const familySize = typeof v.details.familySize === 'number' ? Math.max(1, v.details.familySize) : 1;
  const rounds = roundsToDecide(d, { thresholdPct: v.thresholdPct ?? 0, level: lookAlpha / familySize });
  const resolved = resolvedPct(v);
  const glob = JSON.stringify(c.name);
  const options = [
    !Number.isFinite(rounds)
      ? 'More rounds are unlikely to decide it (its estimate sits on the threshold)'
      : rounds <= c.maxRounds
        ? `About ${rounds} rounds would decide it: raise 'time-budget'`
        : `About ${rounds} rounds would decide it: raise 'max-rounds' (${c.maxRounds}) and 'time-budget'`,
  ];
  if (resolved !== null && resolved > (v.thresholdPct ?? 0))
    options.push(
      `or accept a threshold of ${resolved}% for it, as these rounds rule out a change beyond that ("benchmarks": { ${glob}: { "threshold": "${resolved}%" } })`,
    );
  options.push(`or keep it informational ("benchmarks": { ${glob}: { "ignore": true } })`);
  return {
    ...v,
    reason: `${v.reason} ${options.join('; ')}.`,
    details: {
      ...v.details,
      advice: { roundsToDecide: Number.isFinite(rounds) ? rounds : null, resolvedThresholdPct: resolved },
    },
  };
}
