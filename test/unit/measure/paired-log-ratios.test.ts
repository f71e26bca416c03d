import { describe, expect, it } from 'vitest';
import { pairedLogRatios } from '../../../src/measure/paired-log-ratios.js';
import { processMeasurement } from '../../fixtures/measure/process-measurement.js';

const m = processMeasurement;

describe('pairedLogRatios', () => {
  it('takes ln(head/base) of the medians per round, in round order, leaving out rounds without both sides', () => {
    const d = pairedLogRatios([m(2, 'head', 3), m(1, 'base', 1), m(2, 'base', 1), m(1, 'head', 2), m(3, 'base', 1)]);
    expect(d.map((x) => Math.exp(x))).toEqual([2, 3].map((x) => expect.closeTo(x, 12)));
  });

  it("takes a paired process's block-by-block ratio for time, scaled by a detection trial's factor", () => {
    const rounds = [
      m(1, 'base', 1),
      m(1, 'head', 2, { blockLogRatio: Math.log(1.05) }),
      m(2, 'base', 1),
      m(2, 'head', 2),
    ];
    expect(pairedLogRatios(rounds).map((x) => Math.exp(x))).toEqual([expect.closeTo(1.05, 12), expect.closeTo(2, 12)]);
    expect(Math.exp(pairedLogRatios(rounds, 1.1)[0]!)).toBeCloseTo(1.155, 12);
    // Other measures keep their own figures.
    const withBytes = rounds.map((r) => ({ ...r, values: { allocated: r.side === 'head' ? 4e6 : 1e6 } }));
    expect(pairedLogRatios(withBytes, 1, 'allocated').map((x) => Math.exp(x))).toEqual(
      [4, 4].map((x) => expect.closeTo(x, 12)),
    );
  });
});
