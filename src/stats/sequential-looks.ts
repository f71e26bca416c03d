/**
 * More rounds for inconclusive benchmarks without raising the false-alarm rate: a schedule of
 * looks fixed before any data is seen, with the family-wise α split between the looks.
 *
 * Why this is valid. Let α_k be the α spent at look k, with Σ α_k ≤ α. At each look every
 * benchmark of the family is tested one-sidedly, Holm-corrected over the *whole* family (m fixed
 * at the start; benchmarks already decided enter with p = 1, never leave the family). By Holm's
 * argument a false "regressed" at look k needs some true-null benchmark with p ≤ α_k/m₀, which
 * has probability at most α_k whatever happened at earlier looks; a union bound over the looks
 * gives P(any false "regressed" in the run) ≤ Σ α_k ≤ α, for any dependence between the looks and
 * whether or not a later look is reached (stopping early, e.g. when the time budget runs out, only
 * leaves α unspent). The same holds for "improved" in the other direction. Shrinking the family
 * to the still-undecided benchmarks would NOT be valid: the survivors are selected on their data.
 *
 * The first look comes no earlier than the rounds an exact rank test needs to reach its level
 * (a one-sided signed-rank or sign-flip p-value is at least 2⁻ⁿ), plus a margin so that a real
 * change need not win every single round.
 *
 * Screenings ({@link screeningRounds}) come between the looks and spend no α: at a screening a
 * benchmark can only be found *unchanged* (its interval inside ±threshold) and stop getting
 * rounds. That cannot raise the false-alarm rate: a stopped benchmark stays in the family with
 * p = 1, exactly like one decided at a look, and the union bound above never counted on it. What
 * it buys is time: the steady benchmarks leave after a few rounds and the budget goes to the noisy
 * and the changed ones (docs/method/detection.md measures what that buys). The price is that
 * "unchanged" is checked more than once, so
 * a change just above the threshold is a little more often called unchanged than the interval's
 * confidence alone says; a change of 3× the threshold practically never.
 */
import type { Verdict } from '../model.js';
import { decidePaired } from './decide-paired.js';
import { holm } from './holm.js';
import { DEFAULT_PAIRED_TEST, pairedPValues, type PairedTest } from './paired-p-values.js';

/** One pre-declared look: decide after `rounds` paired rounds at family-wise level `alpha`. */
export interface Look {
  rounds: number;
  alpha: number;
}

/** Options of {@link lookSchedule}. */
export interface LookScheduleOptions {
  /** Size of the family (benchmarks compared). */
  benchmarks: number;
  /** Family-wise false-alarm rate of the whole run, per direction. */
  alpha: number;
  minRounds: number;
  maxRounds: number;
  /** Looks at most (default 3). */
  maxLooks?: number;
  /**
   * Share of α spent at the first look (default 0.25); the rest is split evenly over later looks.
   * A quarter rather than a half: the noisy benchmarks are rarely decided at the first look
   * anyway, and are better served by the α they get later (docs/method/detection.md).
   */
  firstShare?: number;
  /** Rounds beyond the bare minimum for significance before the first look (default 3). */
  margin?: number;
}

/** Fewest rounds n with 2⁻ⁿ ≤ level: below this an exact one-sided rank test can never reject. */
export function roundsToReach(level: number): number {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  return Math.ceil(-Math.log2(level));
}

/** The looks of a run, fixed from the family size, α and the round limits before measuring starts. */
export function lookSchedule(options: LookScheduleOptions): Look[] {
  const { alpha, minRounds, maxRounds, maxLooks = 3, firstShare = 0.25, margin = 3 } = options;
  const m = Math.max(1, options.benchmarks);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (!(minRounds >= 1 && maxRounds >= minRounds))
    throw new RangeError(`need 1 ≤ minRounds ≤ maxRounds, got ${minRounds}, ${maxRounds}`);
  const firstAlpha = maxLooks > 1 ? alpha * firstShare : alpha;
  const first = Math.min(maxRounds, Math.max(minRounds, roundsToReach(firstAlpha / m) + margin));
  const rounds = [first];
  if (maxLooks > 1 && first < maxRounds) {
    for (let k = 1; k < maxLooks - 1; k++) rounds.push(Math.round(first + ((maxRounds - first) * k) / (maxLooks - 1)));
    rounds.push(maxRounds);
  }
  const distinct = [...new Set(rounds)].sort((a, b) => a - b);
  if (distinct.length === 1) return [{ rounds: distinct[0] as number, alpha }];
  const later = (alpha * (1 - firstShare)) / (distinct.length - 1);
  return distinct.map((r, i) => ({ rounds: r, alpha: i === 0 ? alpha * firstShare : later }));
}

/**
 * The rounds of the screenings around `looks`: at `minRounds` and halfway to the first look, then
 * halfway between consecutive looks; never on a look, never before `minRounds`.
 */
export function screeningRounds(looks: readonly Look[], minRounds: number): number[] {
  const at = new Set(looks.map((l) => l.rounds));
  const first = looks[0]?.rounds ?? 0;
  const points = [minRounds, Math.round((minRounds + first) / 2)];
  for (let k = 1; k < looks.length; k++)
    points.push(Math.round(((looks[k - 1] as Look).rounds + (looks[k] as Look).rounds) / 2));
  return [...new Set(points)]
    .filter((r) => r >= minRounds && r >= 1 && !at.has(r) && r < (looks.at(-1)?.rounds ?? 0))
    .sort((a, b) => a - b);
}

/** Options of {@link decideAtLook}. */
export interface LookDecisionOptions {
  /** The α of this look (from {@link lookSchedule}). */
  alpha: number;
  /** The smallest change that matters, in percent: one for the family, or one per benchmark. */
  thresholdPct: number | readonly number[];
  minRounds?: number;
  confidence?: number;
  test?: PairedTest;
  /** Which look this is (1-based) and how many were declared, stored in the verdict's details. */
  look?: number;
  looks?: number;
}

/**
 * Verdicts at one look for the benchmarks still `active`; inactive ones (decided earlier, or not
 * compared) get null but stay in the Holm family with p = 1.
 */
export function decideAtLook(
  dArrays: readonly (readonly number[])[],
  active: readonly boolean[],
  options: LookDecisionOptions,
): (Verdict | null)[] {
  const minRounds = options.minRounds ?? 5;
  const test = options.test ?? DEFAULT_PAIRED_TEST;
  const usable = dArrays.map((d, i) => active[i] === true && d.length >= minRounds && d.every(Number.isFinite));
  const raw = dArrays.map((d, i) => (usable[i] ? pairedPValues(d, test) : { greater: 1, less: 1 }));
  const greater = holm(raw.map((r) => r.greater));
  const less = holm(raw.map((r) => r.less));
  return dArrays.map((d, i) => {
    if (active[i] !== true) return null;
    const verdict = decidePaired(d, {
      thresholdPct:
        typeof options.thresholdPct === 'number' ? options.thresholdPct : (options.thresholdPct[i] as number),
      alpha: options.alpha,
      minRounds,
      confidence: options.confidence,
      test,
      adjustedPValues: usable[i] ? { greater: greater[i] as number, less: less[i] as number } : undefined,
    });
    verdict.details = {
      ...verdict.details,
      correction: 'holm',
      familySize: dArrays.length,
      look: options.look ?? 1,
      looks: options.looks ?? 1,
      lookAlpha: options.alpha,
    };
    return verdict;
  });
}
