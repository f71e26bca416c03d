/**
 * benchgate's own rule on a replayed trial: the very loop `compare` runs
 * (src/pipeline/sequential-driver.ts), fed with stored rounds instead of fresh processes.
 */
import type { MeasurePolicy } from '../../src/config/measures.js';
import { measureInfo, type MeasureName, type ProcessMeasurement } from '../../src/model.js';
import type { PairedCase } from '../../src/measure/paired-suites.js';
import { measureResults } from '../../src/pipeline/measure-verdicts.js';
import { runSequentialLooks, type SequentialPlan } from '../../src/pipeline/sequential-driver.js';
import { baseValue, headValue, type Trial } from './trial.js';
import type { ReplayData } from './replay-data.js';

/** Which benchmarks the trial flagged regressed, and the measuring seconds it would have taken. */
export interface OursOutcome {
  regressed: boolean[];
  seconds: number;
  rounds: number;
  /** Rounds each benchmark was measured in (compare stops measuring one once time decided it). */
  roundsOf: number[];
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
  const roundsOf = data.names.map(() => 0);
  const outcome = await runSequentialLooks(m, plan, {
    measure: async (_round, active) => {
      used++;
      active.forEach((on, b) => {
        if (on) roundsOf[b] = (roundsOf[b] ?? 0) + 1;
      });
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
  return {
    regressed: outcome.verdicts.map((v) => v?.kind === 'regressed'),
    seconds,
    rounds: outcome.rounds,
    roundsOf,
  };
}

/** What {@link oursOnMeasure} needs besides the trial: the measure and compare's settings for it. */
export interface MeasureReplay {
  measure: MeasureName;
  policy: MeasurePolicy;
  /** compare's α, and the other gated measures' share of it (`alpha − alphaTime`). */
  alpha: number;
  alphaOther: number;
  minRounds: number;
}

/**
 * The head process of a slowed benchmark: the measure's raw figure made worse by `factor`
 * (multiplied, or divided where higher is better), before compare's floors apply, as a real
 * change of the figure would reach them. (`pairedLogRatios`' headFactor scales after the floor and
 * does not turn for throughput, so it would overstate sub-floor changes and invert higher-is-better ones.)
 */
function slowed(m: ProcessMeasurement, measure: MeasureName, factor: number): ProcessMeasurement {
  const v = m.values?.[measure];
  if (v === undefined) return m;
  const worse = measureInfo(measure).better === 'higher' ? v / factor : v * factor;
  return { ...m, values: { ...m.values, [measure]: worse } };
}

/**
 * Replays `compare` on one trial for a measure other than time: time's sequential loop (on the
 * A/A time figures: the slowdown is in the measure only) fixes each benchmark's rounds, then the very verdicts
 * `compare` gives the other measures (src/pipeline/measure-verdicts.ts: paired test on the
 * per-round ratios, thresholds derived from the comparison's own noise with the bytes floor, Holm
 * over the gated ones) judge those rounds, with the trial's target slowed in `measure`.
 */
export async function oursOnMeasure(
  data: ReplayData,
  trial: Trial,
  plan: SequentialPlan,
  o: MeasureReplay,
): Promise<OursOutcome> {
  const time = await oursOnTrial(data, { ...trial, target: null, factor: 1 }, plan);
  const entries = data.names.map((name) => ({ name, presence: 'both' }) as PairedCase);
  // Each benchmark's own rounds: compare measures it (and so its other measures) while time has not decided it.
  const measurementsOf = (b: number) =>
    trial.order.slice(0, time.roundsOf[b]).flatMap((r, i) => {
      const p = (data.processes[b] as { head: ProcessMeasurement; base: ProcessMeasurement }[])[r] as {
        head: ProcessMeasurement;
        base: ProcessMeasurement;
      };
      const head = trial.target === b ? slowed(p.head, o.measure, trial.factor) : p.head;
      return [
        { ...head, round: i + 1 },
        { ...p.base, round: i + 1 },
      ];
    });
  const results = measureResults(
    entries,
    measurementsOf,
    entries.map(() => true),
    o.policy,
    { alpha: o.alpha, alphaOther: o.alphaOther, minRounds: o.minRounds },
  );
  return {
    regressed: results.map((rs) => rs.find((r) => r.measure === o.measure)?.verdict?.kind === 'regressed'),
    seconds: time.seconds,
    rounds: time.rounds,
    roundsOf: time.roundsOf,
  };
}
