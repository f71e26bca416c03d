/** Measures besides time survive the store (migration 7) and the API's validation. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../../src/model.js';
import { openStore } from '../../../src/store/open.js';
import { loadRun, saveRun } from '../../../src/store/runs.js';
import { validateRun } from '../../../src/validate/run.js';
import { sampleRun } from '../../fixtures/store/sample-run.js';
import { tempDir } from '../../helpers.js';

function withMeasures(): RunReport {
  const run = sampleRun('m1', [1e-3, 1.1e-3]);
  const b = run.benchmarks[0]!;
  b.measurements = b.measurements.map((m, i) => ({
    ...m,
    values: { 'peak-memory': 2 ** 20 * (10 + i), allocated: 4096 },
  }));
  b.measures = [
    {
      measure: 'peak-memory',
      gated: true,
      median: 10.5 * 2 ** 20,
      baselineMedian: 5 * 2 ** 20,
      verdict: { ...b.verdict!, kind: 'regressed', changePct: 110, reason: 'doubled' },
    },
    { measure: 'allocated', gated: false, median: 4096, baselineMedian: null, verdict: null },
  ];
  b.gated = false;
  return run;
}

describe('measures in the store', () => {
  it('stores and loads per-process figures, per-measure verdicts and an ungated time verdict', () => {
    const db = openStore(join(tempDir(), 'm.db'));
    const run = withMeasures();
    expect(saveRun(db, run)).toBe(true);
    const back = loadRun(db, 'm1');
    expect(back?.benchmarks[0]).toEqual(run.benchmarks[0]);
    db.close();
  });

  it('validates them on the way in, and names a measure it does not know', () => {
    const run = withMeasures();
    expect(validateRun(JSON.parse(JSON.stringify(run))).benchmarks[0]).toEqual(run.benchmarks[0]);
    const bad = JSON.parse(JSON.stringify(run)) as { benchmarks: { measures: { measure: string }[] }[] };
    bad.benchmarks[0]!.measures[0]!.measure = 'joules';
    expect(() => validateRun(bad)).toThrow(
      /benchmarks\[0\]\.measures\[0\]\.measure must name a measure other than time \(peak-memory, allocated, .*'counter:<name>'\) but got "joules"/,
    );
    // A harness's own figure, named by its unit, is a measure; a name with a space is not.
    bad.benchmarks[0]!.measures[0]!.measure = 'frames/op';
    expect(validateRun(bad).benchmarks[0]?.measures[0]?.measure).toBe('frames/op');
    bad.benchmarks[0]!.measures[0]!.measure = 'rm -rf/op';
    expect(() => validateRun(bad)).toThrow(/must name a measure other than time/);
  });
});
