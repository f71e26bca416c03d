import { describe, expect, it } from 'vitest';
import { benjaminiHochberg } from '../../../src/stats/benjamini-hochberg.js';
import { expectClose, loadCases } from './fixture.js';

const cases = loadCases<{ name: string; p: number[]; bh: number[] }[]>('multiple-testing');

describe('benjaminiHochberg', () => {
  it.each(cases)('matches R p.adjust("BH") and scipy false_discovery_control: $name', ({ p, bh }) => {
    const adjusted = benjaminiHochberg(p);
    bh.forEach((e, i) => expectClose(adjusted[i], e, 1e-12, 1e-15));
  });

  it('leaves NaN out of the family', () => {
    const adjusted = benjaminiHochberg([0.01, Number.NaN, 0.04]);
    expect(adjusted[1]).toBeNaN();
    expect(adjusted[0]).toBeCloseTo(0.02, 15);
    expect(adjusted[2]).toBeCloseTo(0.04, 15);
  });
});
