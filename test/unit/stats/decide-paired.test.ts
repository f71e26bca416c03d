import { describe, expect, it } from 'vitest';
import type { VerdictKind } from '../../../src/model.js';
import { pairedPValues } from '../../../src/stats/paired-p-values.js';
import { decidePaired } from '../../../src/stats/decide-paired.js';
import { expectClose, loadCases } from './fixture.js';

interface Case {
  name: string;
  d: number[];
  options: { thresholdPct: number };
  expected: {
    verdict: VerdictKind;
    changePct: number | null;
    ciLowPct: number | null;
    ciHighPct: number | null;
    pValue: number | null;
  };
}
const cases = loadCases<Case[]>('decide-paired');

describe('decidePaired', () => {
  it.each(cases)('applies the rule to scipy p-values and the exact interval: $name', ({ d, options, expected }) => {
    // The references are scipy's Wilcoxon p-values; compare's default test is checked below.
    const v = decidePaired(d, { ...options, test: 'wilcoxon' });
    expect(v.kind).toBe(expected.verdict);
    expectClose(v.changePct, expected.changePct, 1e-9, 1e-12);
    expectClose(v.ciLowPct, expected.ciLowPct, 1e-9, 1e-12);
    expectClose(v.ciHighPct, expected.ciHighPct, 1e-9, 1e-12);
    expectClose(v.pValue, expected.pValue, 1e-9);
    expect(v.thresholdPct).toBe(options.thresholdPct);
    expect(v.reason.length).toBeGreaterThan(10);
  });

  it('tests with the capped signed-rank test by default, and says so', () => {
    const d = [0.05, 0.061, 0.048, 0.052, 0.07, 0.055, -0.09, 0.058, 0.049, 0.062];
    const v = decidePaired(d, { thresholdPct: 1 });
    expect(v.method).toBe('paired-capped-rank-hl');
    expect(v.details.test).toBe('cappedRank');
    expect(v.details.rawPGreater).toBe(pairedPValues(d, 'cappedRank').greater);
    // The one wrong-signed round is the largest: it costs the capped test less than Wilcoxon.
    expect(v.details.rawPGreater).toBeLessThan(pairedPValues(d, 'wilcoxon').greater);
  });

  it('says why too few rounds give no verdict', () => {
    const v = decidePaired([0.5, 0.6, 0.7], { thresholdPct: 1 });
    expect(v.kind).toBe('inconclusive');
    expect(v.reason).toMatch(/Only 3 paired rounds; at least 5/);
  });

  it('names the per-round noise when the data cannot decide', () => {
    // Robust SD of d: 1.4826 · MAD; MAD of these ten values is 0.05 → 7.41%.
    const d = [0.1, -0.1, 0.05, -0.05, 0.0, 0.02, -0.02, 0.08, -0.08, 0.01];
    const v = decidePaired(d, { thresholdPct: 1, alpha: 0.01 });
    expect(v.kind).toBe('inconclusive');
    expect(v.details.roundNoisePct).toBeCloseTo(100 * 1.482602218505602 * 0.05, 9);
    expect(v.reason).toMatch(/per-round noise 7\.4% over 10 rounds/);
  });

  it('says when n rounds cannot reach alpha', () => {
    const v = decidePaired([0.3, 0.31, 0.29, 0.3, 0.32, 0.3], { thresholdPct: 1, alpha: 0.01 });
    expect(v.kind).toBe('inconclusive');
    expect(v.reason).toMatch(/cannot reach p < 0.01/);
  });

  it('uses adjusted p-values when the suite supplies them', () => {
    const d = [0.05, 0.04, 0.06, 0.05, 0.045, 0.055, 0.05, 0.048, 0.052, 0.047, 0.051, 0.049];
    expect(decidePaired(d, { thresholdPct: 2 }).kind).toBe('regressed');
    expect(decidePaired(d, { thresholdPct: 2, adjustedPValues: { greater: 0.5, less: 1 } }).kind).toBe('inconclusive');
  });

  it('can decide with the sign-flip test instead', () => {
    const d = Array.from({ length: 16 }, (_, i) => 0.05 + 0.01 * Math.sin(i));
    const v = decidePaired(d, { thresholdPct: 2, test: 'signFlip' });
    expect(v.kind).toBe('regressed');
    expect(v.method).toBe('paired-signflip-hl');
  });

  it('treats a non-finite ratio as no verdict', () => {
    expect(decidePaired([0.1, Number.NaN, 0.1, 0.1, 0.1, 0.1], { thresholdPct: 1 }).kind).toBe('inconclusive');
  });
});
