import { describe, expect, it } from 'vitest';
import { holm } from '../../../src/stats/holm.js';
import { expectClose, loadCases } from './fixture.js';

const cases = loadCases<{ name: string; p: number[]; holm: number[] }[]>('multiple-testing');

describe('holm', () => {
  it.each(cases)('matches R p.adjust(method="holm"): $name', ({ p, holm: expected }) => {
    const adjusted = holm(p);
    expected.forEach((e, i) => expectClose(adjusted[i], e, 1e-12, 1e-15));
  });

  it('leaves NaN out of the family', () => {
    const adjusted = holm([0.01, Number.NaN, 0.04]);
    expect(adjusted[1]).toBeNaN();
    expect(adjusted[0]).toBeCloseTo(0.02, 15);
    expect(adjusted[2]).toBeCloseTo(0.04, 15);
  });

  it('handles an empty family', () => {
    expect(holm([])).toEqual([]);
  });
});
