import { describe, expect, it } from 'vitest';
import { pairedOverheadSeconds, pairedTaskTimeFor, taskTimeFor, withoutSkipped, type MeasuredProcess } from '../../../src/bench/rounds.js';
import { FIRST_LOOK_SHARE, recalibratedTaskTimeMs } from '../../../src/pipeline/compare-run.js';

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
    const measured = [m('a', 'skipped'), m('b', 'completed'), m('c', 'errored'), m('d', 'skipped'), m('d', 'completed')];
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
  it('fits the processes, their start-up and both sides\' warm-up into the budget', () => {
    // 270 s over 16 rounds × 40 benchmarks: 0.42 s each, 0.12 s of it setup, 2 × (task + task/4) the rest.
    const t = pairedTaskTimeFor(270, 640);
    expect(t).toBeCloseTo(((270 / 640 - 0.12) * 1000) / 2 / 1.25, 6);
    expect(pairedTaskTimeFor(100, 1000, 0)).toBeCloseTo(50 - 30, 6);
    // Above 150 ms a side, warm-up is a quarter of the task time.
    expect(pairedTaskTimeFor(100, 100, 0)).toBeCloseTo(500 / 1.25, 6);
    expect(pairedTaskTimeFor(1, 640)).toBe(20);
    expect(pairedTaskTimeFor(1e6, 1)).toBe(10_000);
  });

  it('inverts the overhead seen in a round', () => {
    const task = pairedTaskTimeFor(270, 640, 0.3);
    expect(pairedOverheadSeconds(270 / 640, task)).toBeCloseTo(0.3, 6);
    expect(pairedOverheadSeconds(0.01, 100)).toBe(0);
  });
});

describe('recalibratedTaskTimeMs', () => {
  it('spends what is left of the first look\'s share of the budget on its other rounds at the overhead round 1 showed', () => {
    // Round 1: 40 benchmarks in 20 s at 20 ms a side → 0.5 − 2 × 0.05 = 0.4 s overhead each.
    const t = recalibratedTaskTimeMs({ timeBudget: 300, firstLook: 16, roundSeconds: 20, taskTimeMs: 20, benchmarks: 40 });
    expect(t).toBeCloseTo(pairedTaskTimeFor(300 * FIRST_LOOK_SHARE - 20, 15 * 40, 0.4), 6);
    expect(t).toBe(20);
    const roomy = recalibratedTaskTimeMs({ timeBudget: 600, firstLook: 16, roundSeconds: 10, taskTimeMs: 20, benchmarks: 40 });
    expect(roomy).toBeGreaterThan(100);
  });
});
