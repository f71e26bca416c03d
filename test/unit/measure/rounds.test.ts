import { describe, expect, it } from 'vitest';
import { withoutSkipped, type MeasuredProcess } from '../../../src/measure/rounds.js';
import {
  FIRST_LOOK_SHARE,
  pairedTaskTimeFor,
  planRounds,
  resizedTaskTimeMs,
  taskTimeFor,
} from '../../../src/measure/round-plan.js';

const m = (name: string, state: MeasuredProcess['state']): MeasuredProcess => ({
  name,
  state,
  round: 1,
  side: 'head',
  reason: null,
  samples: 0,
  medianSeconds: null,
  meanSeconds: null,
  minSeconds: null,
  maxSeconds: null,
  madSeconds: null,
});

describe('withoutSkipped', () => {
  it('drops only benchmarks that every process so far skipped', () => {
    const measured = [
      m('a', 'skipped'),
      m('b', 'completed'),
      m('c', 'errored'),
      m('d', 'skipped'),
      m('d', 'completed'),
    ];
    expect(withoutSkipped(['a', 'b', 'c', 'd', 'e'], measured)).toEqual(['b', 'c', 'd', 'e']);
    expect(withoutSkipped(['a'], [])).toEqual(['a']);
  });
});

describe('taskTimeFor', () => {
  it('splits the budget and keeps each task between 20 ms and 10 s', () => {
    expect(taskTimeFor(60, 5, 1, 10)).toBe(1200);
    expect(taskTimeFor(1, 30, 2, 48)).toBe(20);
    expect(taskTimeFor(1e6, 1, 1, 1)).toBe(10_000);
  });
});

describe('pairedTaskTimeFor', () => {
  it("fits the processes, their start-up and both sides' warm-up into the budget", () => {
    // 270 s over 16 rounds × 40 benchmarks: 421.875 ms each, less 120 ms of setup = 301.875 ms for
    // 2 × (task + task/4) = 2.5 × task, so task = 120.75 ms.
    const t = pairedTaskTimeFor(270, 640);
    expect(t).toBeCloseTo(120.75, 6);
    // Below 40 ms a task, warm-up is its 10 ms floor: 80 ms / 2 sides = 40 = task + 10, task = 30.
    expect(pairedTaskTimeFor(80, 1000, 0)).toBeCloseTo(30, 6);
    // Above, a quarter of the task time: 1000 ms / 2 sides = 500 = 1.25 × task, task = 400.
    expect(pairedTaskTimeFor(100, 100, 0)).toBeCloseTo(400, 6);
    expect(pairedTaskTimeFor(1, 640)).toBe(20);
    expect(pairedTaskTimeFor(1e6, 1)).toBe(10_000);
  });
});

describe('resizedTaskTimeMs', () => {
  // Calls of 0.05 to 3.95 ms: four timed calls (at most 15.8 ms) fit in the task times below, and
  // two warm-up calls (at most 7.9 ms) in the 10 ms warm-up floor, so each side costs task + 10 ms.
  const callMs = Array.from({ length: 40 }, (_, i) => 0.05 + i / 10);

  it("spends what is left of the first look's share of the budget on the rounds before it, less the overhead a round showed", () => {
    expect(FIRST_LOOK_SHARE).toBe(0.5); // the arithmetic below takes half the budget for the first look
    // 150 s for the first look, 40 s spent after 3 rounds: 110 s over the 14 rounds left before the
    // look at 17 is 7857.14 ms a round; less 125 ms of set-up per benchmark (5000 ms) leaves
    // 2857.14 ms = 40 benchmarks × 2 sides × (task + 10), so task = 35.714 - 10 = 25.714 ms.
    const t = resizedTaskTimeMs({
      timeBudget: 300,
      firstLook: 17,
      roundsDone: 3,
      seconds: 40,
      overheadMs: 125,
      callMs,
    });
    expect(t).toBeCloseTo(25.714, 3);
  });

  it('gives the 20 ms minimum when the overhead alone overfills the budget', () => {
    expect(
      resizedTaskTimeMs({ timeBudget: 30, firstLook: 17, roundsDone: 1, seconds: 20, overheadMs: 500, callMs }),
    ).toBe(20);
  });
});

describe('planRounds', () => {
  const m = (name: string, round: number, medianSeconds: number): MeasuredProcess => ({
    name,
    state: 'completed',
    round,
    side: 'head',
    reason: null,
    samples: 10,
    medianSeconds,
    meanSeconds: medianSeconds,
    minSeconds: medianSeconds,
    maxSeconds: medianSeconds,
    madSeconds: 0,
  });
  const sizing = { timeBudget: 300, alpha: 0.01, minRounds: 6, maxRounds: 30 };
  const round = (r: number) => Array.from({ length: 40 }, (_, i) => m(`b${i}`, r, 0.001));

  it('when paired, re-sizes the task time after each round before the first look from what all the rounds so far cost, then keeps it', () => {
    const plan = planRounds({ ...sizing, isolation: 'paired' }, 40, 0);
    const firstLook = (plan.looks[0] as { rounds: number }).rounds;
    const measured = round(1);
    // A slow first round makes the task time short; steady faster rounds after it bring it back up.
    const lookSeconds = sizing.timeBudget * FIRST_LOOK_SHARE;
    const [slow, steady] = [lookSeconds / 15, lookSeconds / 25];
    const after1 = plan.afterRound(1, 40, slow, measured);
    expect(after1.taskTimeMs).toBeGreaterThan(20);
    let seconds = slow;
    let last = after1;
    for (let r = 2; r < firstLook; r++) {
      measured.push(...round(r));
      seconds += steady;
      last = plan.afterRound(r, 40, seconds, measured);
    }
    expect(last.taskTimeMs).toBeGreaterThan(after1.taskTimeMs);
    measured.push(...round(firstLook));
    expect(plan.afterRound(firstLook, 40, seconds + steady, measured).taskTimeMs).toBe(last.taskTimeMs);
  });

  it('gives the time of benchmarks no longer measured (found unchanged at a screening) to the others', () => {
    const plan = planRounds({ ...sizing, isolation: 'paired' }, 40, 0);
    const measured = round(1);
    const all = plan.afterRound(1, 40, 10, measured).taskTimeMs;
    // Round 2 measured only 10 of the 40, in a quarter of the time.
    measured.push(...round(2).slice(0, 10));
    expect(plan.afterRound(2, 40, 12.5, measured).taskTimeMs).toBeGreaterThan(2 * all);
  });

  it('estimates further rounds from what the rounds so far cost, per benchmark still measured', () => {
    const plan = planRounds({ ...sizing, isolation: 'process' }, 40, 0);
    const names = round(1).map((x) => x.name);
    // Before any round: the assumed 120 ms of set-up per benchmark and the planned task time. The
    // first look of 40 benchmarks at alpha 0.01 is at round 17, so the task time is half of 300 s
    // over 17 rounds × 2 sides × 40 = 150000 / 1360 = 110.294 ms, plus a quarter of it as warm-up:
    // a round costs 40 × (2 × 1.25 × 110.294 + 120) ms = 40 × 395.735 ms = 15.829 s.
    expect(plan.looks[0]?.rounds).toBe(17);
    expect(plan.taskTimeMs).toBeCloseTo(110.294, 3);
    expect(plan.secondsFor(1, names)).toBeCloseTo(15.829, 3);
    plan.afterRound(1, 40, 20, round(1));
    plan.afterRound(2, 40, 42, [...round(1), ...round(2)]);
    // Same task time, same calls: the next two rounds cost what the last two did.
    expect(plan.secondsFor(2, names)).toBeCloseTo(42, 6);
    // A quarter of the benchmarks: a quarter of the cost.
    expect(plan.secondsFor(2, names.slice(0, 10))).toBeCloseTo(42 / 4, 6);
  });

  it('with a process per side, keeps the task time it started with', () => {
    const plan = planRounds({ ...sizing, isolation: 'process' }, 40, 0);
    expect(plan.afterRound(1, 40, 20, round(1)).taskTimeMs).toBe(plan.taskTimeMs);
  });
});
