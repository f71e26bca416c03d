import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../../src/model.js';
import { withSpeedsNote } from '../../../src/pipeline/with-speeds.js';
import { processMeasurement } from '../../fixtures/measure/process-measurement.js';

const verdict = (kind: Verdict['kind']): Verdict => ({
  kind,
  method: 'paired-capped-rank-hl',
  changePct: 2,
  ciLowPct: -1,
  ciHighPct: 5,
  pValue: 0.1,
  thresholdPct: 1,
  reason: 'Change +2.0%.',
  details: {},
});
const m = processMeasurement;
// The base ran at 2.9 ms in 6 processes and 4.7 ms in 3; the head at one speed.
const rounds = [2.9, 4.7, 2.9, 2.9, 4.7, 2.9, 2.9, 4.7, 2.9].flatMap((s, i) => [
  m(i + 1, 'base', s / 1000),
  m(i + 1, 'head', 3.0 / 1000),
]);

describe('withSpeedsNote', () => {
  it('says which side ran at two speeds and what that did to the pairs', () => {
    const blocks = withSpeedsNote(verdict('inconclusive'), rounds, 'blocks');
    expect(blocks.reason).toBe(
      'Change +2.0%. The machine ran at two speeds during these rounds (base 2.90 ms in 6 processes, 4.70 ms in 3); both revisions were timed block by block in each process, so each pair shared its speed.',
    );
    expect(blocks.details.twoSpeeds).toEqual({ base: { low: 0.0029, high: 0.0047, nLow: 6, nHigh: 3 }, head: null });
    expect(withSpeedsNote(verdict('regressed'), rounds, 'processes').reason).toMatch(
      /outlier that widens the interval\.$/,
    );
  });

  it('leaves unchanged verdicts and one-speed rounds alone', () => {
    const unchanged = verdict('unchanged');
    expect(withSpeedsNote(unchanged, rounds, 'blocks')).toBe(unchanged);
    const steady = rounds.map((r) => ({ ...r, medianSeconds: 0.003 }));
    const v = verdict('inconclusive');
    expect(withSpeedsNote(v, steady, 'blocks')).toBe(v);
  });
});
