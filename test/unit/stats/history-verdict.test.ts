import { describe, expect, it } from 'vitest';
import type { VerdictKind } from '../../../src/model.js';
import { historyVerdict } from '../../../src/stats/history-verdict.js';
import { expectClose, loadCases } from './fixture.js';

interface Case {
  name: string;
  current: number[];
  history: number[][];
  expected: {
    verdict: VerdictKind;
    changePct: number | null;
    ciLowPct?: number;
    ciHighPct?: number;
    pValue?: number;
    thresholdPct?: number;
  };
}
const cases = loadCases<Case[]>('history-verdict');

describe('historyVerdict', () => {
  it.each(cases)(
    'matches the scipy-based reference of the documented method: $name',
    ({ current, history, expected }) => {
      const v = historyVerdict(current, history);
      expect(v.kind).toBe(expected.verdict);
      expect(v.method).toBe('history-robust-t');
      expectClose(v.changePct, expected.changePct, 1e-9, 1e-12);
      if (expected.pValue !== undefined) {
        expectClose(v.ciLowPct, expected.ciLowPct ?? null, 1e-9, 1e-12);
        expectClose(v.ciHighPct, expected.ciHighPct ?? null, 1e-9, 1e-12);
        // The t tail comes from 0.5 − A/2: accurate to ~1e-16 absolute, not relative, far out.
        expectClose(v.pValue, expected.pValue, 1e-9, 1e-6);
        expectClose(v.thresholdPct, expected.thresholdPct ?? null, 1e-9);
      }
    },
  );

  it('says that history is too short', () => {
    const v = historyVerdict(
      [1, 1, 1],
      [
        [1, 1],
        [1.1, 1],
      ],
    );
    expect(v.kind).toBe('inconclusive');
    expect(v.reason).toMatch(/History too short: 2 previous runs on this testbed, 3 needed/);
  });

  it('calls a steady series unchanged', () => {
    const history = Array.from({ length: 12 }, (_, i) =>
      [1, 1.001, 0.999, 1.002, 0.998].map((x) => x * (1 + 0.001 * Math.sin(i))),
    );
    expect(historyVerdict([1.0005, 0.9995, 1, 1.001, 0.999], history).kind).toBe('unchanged');
  });

  it('does not raise an alarm on an invalid run', () => {
    expect(historyVerdict([], [[1], [1], [1]]).kind).toBe('inconclusive');
    expect(historyVerdict([0, -1], [[1], [1], [1]]).kind).toBe('inconclusive');
  });
});
