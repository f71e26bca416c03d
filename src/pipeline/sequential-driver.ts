/**
 * The measuring-and-deciding loop of a comparison, apart from how rounds are obtained: `compare`
 * measures real rounds, the detection benchmark replays stored ones, and both run this same code.
 * Rounds are added up to each pre-declared look; at a look every still-undecided benchmark is
 * decided (src/stats/sequential-looks.ts); inconclusive ones get the rounds up to the next look
 * only while the time budget allows. Screenings between the looks let benchmarks already shown
 * unchanged stop early, so the budget goes to those still in doubt; an inconclusive benchmark
 * that could not decide within the last look stops at its look, and when the budget cannot take
 * every benchmark to the next look it goes to those closest to deciding
 * (src/stats/rounds-to-decide.ts). The looks' α is fixed in advance, so which benchmarks go on
 * does not change the false-alarm rate.
 */
import type { Verdict } from '../model.js';
import { defaultThresholdPct } from '../stats/default-threshold-pct.js';
import { ownNoiseThresholdPct, roundUpPct } from '../stats/noise-threshold.js';
import type { PairedTest } from '../stats/paired-p-values.js';
import { roundsToDecide } from '../stats/rounds-to-decide.js';
import { decideAtLook, screeningRounds, type Look } from '../stats/sequential-looks.js';

/**
 * An inconclusive benchmark forecast to need more than this many times the last look's rounds
 * stops at its look: it cannot decide within this run, and its rounds are better spent on others.
 */
export const BEYOND_REACH = 1.5;

/** What the loop needs to know up front. */
export interface SequentialPlan {
  looks: Look[];
  /**
   * Configured threshold in percent; null = derived from the data at the first screening or look,
   * then kept, and from the first look on a benchmark too noisy for it gets the one its own noise
   * resolves in the last look's rounds (src/stats/noise-threshold.ts).
   */
  thresholdPct: number | null;
  /** Per benchmark, a threshold that replaces the family's (a rule for its glob), or null. */
  thresholdOverrides?: readonly (number | null)[];
  minRounds: number;
  /** Seconds of measuring allowed; the first look is always completed. */
  timeBudget: number;
  /** Screenings between the looks, where steady benchmarks may stop as unchanged (default true). */
  screening?: boolean;
  /** Rounds the caller already measured for every benchmark of the family (default 0). */
  roundsDone?: number;
  /** The paired test at the looks (default compare's, `cappedRank`). */
  test?: PairedTest;
}

/** How rounds are obtained and timed. */
export interface SequentialHooks {
  /** Measures round `round` for the benchmarks flagged `active`. */
  measure: (round: number, active: readonly boolean[]) => Promise<void>;
  /** The current d = ln(head/base) arrays, one per benchmark of the family. */
  logRatios: () => number[][];
  /** Seconds of measuring so far. */
  elapsed: () => number;
  /** Estimated seconds of `rounds` more rounds of the benchmarks flagged `active`. */
  estimate: (rounds: number, active: readonly boolean[]) => number;
  onStatus?: (line: string) => void;
}

/** What the loop decided and why it stopped. */
export interface SequentialOutcome {
  verdicts: (Verdict | null)[];
  rounds: number;
  looksTaken: number;
  thresholdPct: number;
  stoppedBy: string;
}

/** Runs the looks, and the screenings between them, over a family of `size` benchmarks. */
export async function runSequentialLooks(
  size: number,
  plan: SequentialPlan,
  hooks: SequentialHooks,
): Promise<SequentialOutcome> {
  const active = Array.from({ length: size }, () => true);
  const maxRounds = plan.looks.at(-1)?.rounds ?? 0;
  const verdicts: (Verdict | null)[] = Array.from({ length: size }, () => null);
  let round = plan.roundsDone ?? 0;
  let looksTaken = 0;
  let thresholdPct = plan.thresholdPct;
  const ownNoise = plan.thresholdPct === null;
  const firstLookRounds = plan.looks[0]?.rounds ?? 0;
  let stoppedBy = 'all decided';
  const screenings =
    plan.screening === false ? [] : screeningRounds(plan.looks, plan.minRounds).filter((r) => r > round);
  const checkpoints = [
    ...plan.looks.map((look, k) => ({ rounds: look.rounds, look, k })),
    ...screenings.map((rounds) => ({ rounds, look: null, k: -1 })),
  ].sort((a, b) => a.rounds - b.rounds);
  for (const [j, point] of checkpoints.entries()) {
    while (round < point.rounds) await hooks.measure(++round, active);
    const d = hooks.logRatios();
    thresholdPct ??= defaultThresholdPct(d);
    const family = thresholdPct;
    // A benchmark's own-noise threshold, from the first look on (a screening's few rounds say too
    // little of its noise), where neither the family's nor a rule for it was configured.
    const own = (i: number): number | null => {
      if (!ownNoise || round < firstLookRounds || plan.thresholdOverrides?.[i] != null) return null;
      const t = ownNoiseThresholdPct(d[i] ?? [], maxRounds);
      return t !== null && t > family ? roundUpPct(t) : null;
    };
    const owns = d.map((_, i) => own(i));
    const thresholds =
      plan.thresholdOverrides || owns.some((t) => t !== null)
        ? d.map((_, i) => plan.thresholdOverrides?.[i] ?? owns[i] ?? family)
        : family;
    const thresholdOf = (i: number) => (typeof thresholds === 'number' ? thresholds : (thresholds[i] as number));
    const lookAlpha = (point.look ?? plan.looks[looksTaken] ?? plan.looks.at(-1))?.alpha ?? 0.01;
    const need = (i: number) =>
      roundsToDecide(d[i] ?? [], { thresholdPct: thresholdOf(i), level: lookAlpha / Math.max(1, size) });
    if (point.look === null) {
      // A screening spends no α: only "unchanged" ends a benchmark here (src/stats/sequential-looks.ts).
      const screened = decideAtLook(d, active, {
        alpha: 0,
        thresholdPct: thresholds,
        minRounds: plan.minRounds,
        look: looksTaken,
        looks: plan.looks.length,
        test: plan.test,
      });
      screened.forEach((v, i) => {
        if (v?.kind !== 'unchanged') return;
        const ownPct = owns[i];
        if (ownPct != null) withOwnThreshold(v, family, ownPct, maxRounds);
        v.details = { ...v.details, screening: true };
        verdicts[i] = v;
        active[i] = false;
      });
    } else {
      const decided = decideAtLook(d, active, {
        alpha: point.look.alpha,
        thresholdPct: thresholds,
        minRounds: plan.minRounds,
        look: point.k + 1,
        looks: plan.looks.length,
        test: plan.test,
      });
      looksTaken = point.k + 1;
      decided.forEach((v, i) => {
        if (v === null) return;
        const ownPct = owns[i];
        if (ownPct != null) withOwnThreshold(v, family, ownPct, maxRounds);
        verdicts[i] = v;
        // Decided, or nothing to pair (errored or skipped on a side): no more rounds for it.
        if (v.kind !== 'inconclusive' || (d[i] ?? []).length === 0) {
          active[i] = false;
          return;
        }
        const rounds = need(i);
        v.details = { ...v.details, roundsToDecide: Number.isFinite(rounds) ? rounds : null };
        if (rounds > BEYOND_REACH * maxRounds && round < maxRounds) {
          v.details.stoppedEarly = 'beyond reach';
          active[i] = false;
        }
      });
    }
    const stillActive = active.filter(Boolean).length;
    if (stillActive === 0) break;
    const next = checkpoints[j + 1];
    if (next === undefined) {
      stoppedBy = 'max rounds';
      break;
    }
    // The first look is always completed; after it, more rounds only while the budget allows, for
    // as many of the benchmarks closest to deciding as it takes.
    const needed = hooks.estimate(next.rounds - round, active);
    const fits = (mask: readonly boolean[]) =>
      hooks.elapsed() + hooks.estimate(next.rounds - round, mask) <= plan.timeBudget;
    if (looksTaken > 0 && !fits(active)) {
      const closest = Array.from({ length: size }, () => false);
      const needs = active.map((a, i) => (a ? need(i) : Infinity));
      for (const i of active
        .map((a, i) => (a ? i : -1))
        .filter((i) => i >= 0)
        .sort((a, b) => (needs[a] as number) - (needs[b] as number))) {
        closest[i] = true;
        if (!fits(closest)) closest[i] = false;
      }
      const kept = closest.filter(Boolean).length;
      if (kept > 0) {
        active.forEach((a, i) => {
          if (!a || closest[i]) return;
          active[i] = false;
          const v = verdicts[i];
          if (v) v.details = { ...v.details, stoppedEarly: 'budget to closer' };
        });
        hooks.onStatus?.(
          `${kept} of ${stillActive} inconclusive benchmark(s) closest to deciding get the rest of the budget: measuring up to ${next.rounds}`,
        );
        continue;
      }
      stoppedBy = `time budget (${plan.timeBudget} s; the next ${next.look === null ? 'screening' : 'look'} needed about ${Math.round(needed)} s more)`;
      hooks.onStatus?.(`stopping after ${round} rounds: ${stoppedBy}`);
      break;
    }
    hooks.onStatus?.(
      `${stillActive} benchmark(s) ${looksTaken > 0 ? 'inconclusive' : 'not yet decided'} after ${round} rounds: measuring up to ${next.rounds}`,
    );
  }
  return { verdicts, rounds: round, looksTaken, thresholdPct: thresholdPct ?? 0, stoppedBy };
}

/** Says in a verdict that its threshold is its own noise's, not the family's. */
function withOwnThreshold(v: Verdict, familyPct: number, ownPct: number, maxRounds: number): void {
  const noise = v.details.roundNoisePct;
  v.details = { ...v.details, thresholdSource: 'own-noise', familyThresholdPct: familyPct };
  v.reason +=
    ` Its threshold, ±${ownPct}%, is what ${maxRounds} rounds of its own noise` +
    (typeof noise === 'number' ? ` (${noise.toFixed(1)}% a round)` : '') +
    ` can resolve; the suite's ±${Math.round(familyPct * 100) / 100}% is finer than that.`;
}
