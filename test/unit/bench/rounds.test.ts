import { describe, expect, it } from 'vitest';
import { taskTimeFor, withoutSkipped, type MeasuredProcess } from '../../../src/bench/rounds.js';

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
