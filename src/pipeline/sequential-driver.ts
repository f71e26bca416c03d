/**
 * The measuring-and-deciding loop of a comparison, apart from how rounds are obtained: `compare`
 * measures real rounds, the detection benchmark replays stored ones, and both run this same code.
 * Rounds are added up to each pre-declared look; at a look every still-undecided benchmark is
 * decided (src/stats/sequential-looks.ts); inconclusive ones get the rounds up to the next look
 * only while the time budget allows.
 */
import type { Verdict } from '../model.js';
import { defaultThresholdPct } from '../stats/default-threshold-pct.js';
import { decideAtLook, type Look } from '../stats/sequential-looks.js';

/** What the loop needs to know up front. */
export interface SequentialPlan {
  looks: Look[];
  /** Configured threshold in percent; null = derived from the data at the first look, then kept. */
  thresholdPct: number | null;
  minRounds: number;
  /** Seconds of measuring allowed; the first look is always completed. */
  timeBudget: number;
  /** Rounds the caller already measured for every benchmark of the family (default 0). */
  roundsDone?: number;
}

/** How rounds are obtained and timed. */
export interface SequentialHooks {
  /** Measures round `round` for the benchmarks flagged `active`. */
  measure: (round: number, active: readonly boolean[]) => Promise<void>;
  /** The current d = ln(head/base) arrays, one per benchmark of the family. */
  logRatios: () => number[][];
  /** Seconds of measuring so far. */
  elapsed: () => number;
  /** Estimated seconds of `rounds` more rounds with `activeCount` benchmarks. */
  estimate: (rounds: number, activeCount: number) => number;
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

/** Runs the looks over a family of `size` benchmarks. */
export async function runSequentialLooks(size: number, plan: SequentialPlan, hooks: SequentialHooks): Promise<SequentialOutcome> {
  const active = Array.from({ length: size }, () => true);
  const verdicts: (Verdict | null)[] = Array.from({ length: size }, () => null);
  let round = plan.roundsDone ?? 0;
  let looksTaken = 0;
  let thresholdPct = plan.thresholdPct;
  let stoppedBy = 'all decided';
  for (const [k, look] of plan.looks.entries()) {
    while (round < look.rounds) await hooks.measure(++round, active);
    const d = hooks.logRatios();
    thresholdPct ??= defaultThresholdPct(d);
    const decided = decideAtLook(d, active, { alpha: look.alpha, thresholdPct, minRounds: plan.minRounds, look: k + 1, looks: plan.looks.length });
    looksTaken = k + 1;
    decided.forEach((v, i) => {
      if (v === null) return;
      verdicts[i] = v;
      // Decided, or nothing to pair (errored or skipped on a side): no more rounds for it.
      if (v.verdict !== 'inconclusive' || (d[i] ?? []).length === 0) active[i] = false;
    });
    const stillActive = active.filter(Boolean).length;
    if (stillActive === 0) break;
    const next = plan.looks[k + 1];
    if (next === undefined) {
      stoppedBy = 'max rounds';
      break;
    }
    const needed = hooks.estimate(next.rounds - round, stillActive);
    if (hooks.elapsed() + needed > plan.timeBudget) {
      stoppedBy = `time budget (${plan.timeBudget} s; the next look needed about ${Math.round(needed)} s more)`;
      hooks.onStatus?.(`stopping after ${round} rounds: ${stoppedBy}`);
      break;
    }
    hooks.onStatus?.(`${stillActive} benchmark(s) inconclusive after ${round} rounds: measuring up to ${next.rounds}`);
  }
  return { verdicts, rounds: round, looksTaken, thresholdPct: thresholdPct ?? 0, stoppedBy };
}
