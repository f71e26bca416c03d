/**
 * benchgate's own rule on a replayed trial: the very loop `compare` runs
 * (src/pipeline/sequential-driver.ts), fed with stored rounds instead of fresh processes.
 */
import { runSequentialLooks, type SequentialPlan } from '../../src/pipeline/sequential-driver.js';
import { baseValue, headValue, type Trial } from './trial.js';
import type { ReplayData } from './replay-data.js';

/** Which benchmarks the trial flagged regressed, and the measuring seconds it would have taken. */
export interface OursOutcome {
  regressed: boolean[];
  seconds: number;
  rounds: number;
}

/** Seconds a round of the active benchmarks took in the collection (both sides; a harness's: a whole round). */
const roundSeconds = (data: ReplayData, active: readonly boolean[]) =>
  data.secondsPerRound !== null
    ? active.some(Boolean)
      ? data.secondsPerRound
      : 0
    : active.reduce((sum, on, b) => sum + (on ? 2 * (data.secondsPerTask[b] as number) : 0), 0);

/** Replays `compare`'s decision procedure on one trial. */
export async function oursOnTrial(data: ReplayData, trial: Trial, plan: SequentialPlan): Promise<OursOutcome> {
  const m = data.names.length;
  let used = 0;
  let seconds = 0;
  const outcome = await runSequentialLooks(m, plan, {
    measure: async (_round, active) => {
      used++;
      seconds += roundSeconds(data, active);
    },
    logRatios: () =>
      data.names.map((_, b) =>
        trial.order
          .slice(0, used)
          .map((r) => Math.log(headValue(data, trial, b, r).median / baseValue(data, b, r).median)),
      ),
    elapsed: () => seconds,
    estimate: (rounds, active) => rounds * roundSeconds(data, active),
  });
  return { regressed: outcome.verdicts.map((v) => v?.kind === 'regressed'), seconds, rounds: outcome.rounds };
}
