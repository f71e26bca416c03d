import { describe, expect, it } from 'vitest';
import { pairedPValues } from '../../../src/stats/paired-p-values.js';
import { cappedSignedRank } from '../../../src/stats/capped-signed-rank.js';
import { signFlipTest } from '../../../src/stats/sign-flip-test.js';
import { expectClose, loadCases } from './fixture.js';

const wilcoxon =
  loadCases<{ name: string; d: number[]; alternative: string; options: object; pValue: number }[]>(
    'wilcoxon-signed-rank',
  );

describe('pairedPValues', () => {
  it('gives scipy’s one-sided Wilcoxon p-values', () => {
    const d = wilcoxon.filter((c) => c.name === 'n20-no-ties-slower' && Object.keys(c.options).length === 0);
    const p = pairedPValues(d[0]?.d ?? [], 'wilcoxon');
    expectClose(p.greater, d.find((c) => c.alternative === 'greater')?.pValue ?? null);
    expectClose(p.less, d.find((c) => c.alternative === 'less')?.pValue ?? null);
    expect(p.method).toBe('exact');
  });

  it('uses the capped signed-rank test by default', () => {
    const d = [0.01, 0.02, -0.005, 0.03, 0.015, 0.01, 0.2, -0.15];
    const c = cappedSignedRank(d);
    expect(pairedPValues(d)).toEqual({ greater: c.greater, less: c.less, method: 'exact' });
  });

  it('uses the sign-flip test when asked', () => {
    const d = [0.01, 0.02, -0.005, 0.03, 0.015, 0.01];
    expect(pairedPValues(d, 'signFlip').greater).toBe(signFlipTest(d, { alternative: 'greater' }));
  });

  it('answers 1 (no evidence) when every ratio is exactly 1', () => {
    expect(pairedPValues([0, 0, 0, 0, 0])).toEqual({ greater: 1, less: 1, method: 'all-zero' });
  });
});
