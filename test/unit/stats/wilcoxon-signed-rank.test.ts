import { describe, expect, it } from 'vitest';
import type { Alternative } from '../../../src/stats/types.js';
import { wilcoxonSignedRank, type WilcoxonOptions } from '../../../src/stats/wilcoxon-signed-rank.js';
import { expectClose, loadCases } from './fixture.js';

interface Case {
  name: string;
  d: number[];
  alternative: Alternative;
  options: WilcoxonOptions;
  statistic: number;
  pValue: number;
  method: string;
}
const cases = loadCases<Case[]>('wilcoxon-signed-rank');

describe('wilcoxonSignedRank', () => {
  it.each(cases)(
    'matches scipy.stats.wilcoxon: $name, $alternative',
    ({ d, alternative, options, statistic, pValue, method }) => {
      const r = wilcoxonSignedRank(d, { ...options, alternative });
      expect(r).not.toBeNull();
      expectClose(r?.statistic, statistic, 1e-12);
      expectClose(r?.pValue, pValue, 1e-9);
      expect(r?.method).toBe(method);
    },
  );

  it('drops zeros (zero_method="wilcox") and counts them', () => {
    const r = wilcoxonSignedRank([0, 0, 0.1, 0.2, -0.05]);
    expect(r?.n).toBe(3);
    expect(r?.zeros).toBe(2);
  });

  it('gives no verdict when nothing but zeros is left', () => {
    expect(wilcoxonSignedRank([0, 0, 0])).toBeNull();
    expect(wilcoxonSignedRank([])).toBeNull();
  });

  it('refuses non-finite values', () => {
    expect(() => wilcoxonSignedRank([0.1, Number.NaN])).toThrow(RangeError);
  });
});
