import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../../src/model.js';
import { withAdvice } from '../../../src/pipeline/with-advice.js';

const verdict = (kind: Verdict['kind'], low: number, high: number): Verdict => ({
  kind,
  method: 'paired-capped-rank-hl',
  changePct: (low + high) / 2,
  ciLowPct: low,
  ciHighPct: high,
  pValue: 0.2,
  thresholdPct: 1,
  reason: 'Change +0.4%: the interval reaches beyond ±1%.',
  details: { lookAlpha: 0.005, familySize: 10 },
});
const d = [0.9, -1.1, 0.3, -0.2, 1.4, -0.7, 0.1, -0.6, 0.5, -0.4].map((x) => x * 0.05);

describe('withAdvice', () => {
  it('tells an inconclusive verdict the rounds that would decide it, the threshold its rounds resolve, and how to keep it informational', () => {
    const v = withAdvice(verdict('inconclusive', -1.6, 2.3), d, { name: 'gridding/ts-objects/p1m', maxRounds: 40 });
    expect(v.reason).toMatch(
      /^Change \+0\.4%: the interval reaches beyond ±1%\. About \d+ rounds would decide it: raise 'max-rounds' \(40\) and 'time-budget'; or accept/,
    );
    expect(v.reason).toContain('accept a threshold of 2.5% for it');
    expect(v.reason).toContain('"benchmarks": { "gridding/ts-objects/p1m": { "threshold": "2.5%" } }');
    expect(v.reason).toContain('"ignore": true');
    expect(v.details.advice).toMatchObject({ resolvedThresholdPct: 2.5 });
    expect((v.details.advice as { roundsToDecide: number }).roundsToDecide).toBeGreaterThan(40);
  });

  it('says raise the time budget when max-rounds would allow it, and leaves decided verdicts alone', () => {
    const small = d.map((x) => x / 6);
    expect(withAdvice(verdict('inconclusive', -0.9, 1.2), small, { name: 'a/b/c', maxRounds: 40 }).reason).toMatch(
      /About \d+ rounds would decide it: raise 'time-budget'; or accept a threshold of 1\.5%/,
    );
    const done = verdict('unchanged', -0.5, 0.5);
    expect(withAdvice(done, d, { name: 'a/b/c', maxRounds: 40 })).toBe(done);
  });
});
