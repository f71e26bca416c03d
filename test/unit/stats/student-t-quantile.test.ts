import { describe, expect, it } from 'vitest';
import { studentTQuantile } from '../../../src/stats/student-t-quantile.js';
import { expectClose, loadCases } from './fixture.js';

const { quantile } = loadCases<{ quantile: { p: number; df: number; t: number }[] }>('student-t');

describe('studentTQuantile', () => {
  it.each(quantile)('matches scipy.stats.t.ppf at p = $p, df = $df', ({ p, df, t }) => {
    expectClose(studentTQuantile(p, df), t, 1e-9, 1e-9);
  });

  it('rejects p outside (0, 1)', () => {
    expect(() => studentTQuantile(0, 3)).toThrow(RangeError);
  });
});
