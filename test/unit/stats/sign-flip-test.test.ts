import { describe, expect, it } from 'vitest';
import { signFlipTest, type SignFlipOptions } from '../../../src/stats/sign-flip-test.js';
import type { Alternative } from '../../../src/stats/types.js';
import { expectClose, loadCases } from './fixture.js';

interface Case {
  name: string;
  d: number[];
  alternative: Alternative;
  options: SignFlipOptions;
  pValue: number;
  source: string;
}
const cases = loadCases<Case[]>('sign-flip-test');

describe('signFlipTest', () => {
  it.each(cases)('matches the reference ($source): $name, $alternative', ({ d, alternative, options, pValue }) => {
    expectClose(signFlipTest(d, { ...options, alternative }), pValue, 1e-12);
  });

  it('is reproducible from its seed and changes with it', () => {
    const d = Array.from({ length: 30 }, (_, i) => Math.sin(i) * 0.02 + 0.003);
    const a = signFlipTest(d, { seed: 5, iterations: 2000 });
    expect(signFlipTest(d, { seed: 5, iterations: 2000 })).toBe(a);
    expect(signFlipTest(d, { seed: 3, iterations: 2000 })).not.toBe(a);
  });

  it('never returns zero under Monte Carlo (the +1 correction)', () => {
    const d = Array.from({ length: 40 }, () => 0.1);
    expect(signFlipTest(d, { alternative: 'greater', iterations: 999 })).toBe(1 / 1000);
  });

  it('gives no verdict on no data', () => {
    expect(signFlipTest([])).toBeNull();
  });
});
