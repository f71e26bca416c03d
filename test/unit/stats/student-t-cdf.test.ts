import { describe, expect, it } from 'vitest';
import { studentTCdf } from '../../../src/stats/student-t-cdf.js';
import { expectClose, loadCases } from './fixture.js';

const { cdf } = loadCases<{ cdf: { t: number; df: number; cdf: number }[] }>('student-t');

describe('studentTCdf', () => {
  it.each(cdf)('matches scipy.stats.t.cdf at t = $t, df = $df', ({ t, df, cdf: p }) => {
    expectClose(studentTCdf(t, df), p, 1e-9, 1e-6);
  });

  it('rejects non-integer degrees of freedom', () => {
    expect(() => studentTCdf(1, 2.5)).toThrow(RangeError);
    expect(() => studentTCdf(1, 0)).toThrow(RangeError);
  });
});
