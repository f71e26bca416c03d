import { describe, expect, it } from 'vitest';
import type { MeasuredProcess } from '../../../src/measure/rounds.js';
import { callTimesMs, fitTaskTimeMs, sideCostMs } from '../../../src/measure/task-times.js';

describe('sideCostMs', () => {
  it('counts the task time and a warm-up of a quarter of it, at least 10 ms', () => {
    expect(sideCostMs(48, 0.1)).toBeCloseTo(48 + 12, 9);
    expect(sideCostMs(20, 0.1)).toBeCloseTo(20 + 10, 9);
  });

  it('counts the four timed calls and two warm-up calls a slow benchmark makes whatever its task time', () => {
    expect(sideCostMs(48, 30)).toBeCloseTo(4 * 30 + 2 * 30, 9);
  });
});

describe('callTimesMs', () => {
  const m = (name: string, median: number | null, state: MeasuredProcess['state'] = 'completed'): MeasuredProcess => ({
    name,
    state,
    round: 1,
    side: 'head',
    reason: null,
    samples: 10,
    medianSeconds: median,
    meanSeconds: median,
    minSeconds: median,
    maxSeconds: median,
    madSeconds: 0,
  });

  it('takes the median call time over the completed processes of each benchmark', () => {
    const calls = callTimesMs([
      m('a', 0.002),
      m('a', 0.004),
      m('a', null, 'errored'),
      m('b', 0.001),
      m('c', null, 'skipped'),
    ]);
    expect([...calls.keys()]).toEqual(['a', 'b']);
    expect(calls.get('a')).toBeCloseTo(3, 9);
    expect(calls.get('b')).toBeCloseTo(1, 9);
  });
});

describe('fitTaskTimeMs', () => {
  const calls = [0.05, 0.7, 5, 30];

  it('finds the task time at which the round costs the budget, slow calls counted at their minimum', () => {
    // For a task time t between 120 and 240 ms, the three faster benchmarks cost t + t/4 a side;
    // the 30 ms one makes its 4 timed calls (120 ms) within t but its 2 warm-up calls take 60 ms,
    // more than t/4: t + 60. Two sides: 2 × (3 × 1.25t + t + 60) = 9.5t + 120 = 2000, t = 197.895.
    // (Counting the slow warm-up as t/4 like the others would give 10t = 2000, t = 200.)
    const t = fitTaskTimeMs(calls, 2000);
    expect(t).toBeCloseTo(1880 / 9.5, 6);
    expect(sideCostMs(t, 30)).toBeCloseTo(t + 60, 6);
  });

  it('keeps within the bounds', () => {
    expect(fitTaskTimeMs(calls, 10)).toBe(20);
    expect(fitTaskTimeMs(calls, 1e9, { maxMs: 400 })).toBe(400);
    expect(fitTaskTimeMs(calls, 10, { minMs: 5 })).toBe(5);
  });
});
