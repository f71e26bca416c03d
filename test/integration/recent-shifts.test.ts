/** Change points over stored history series: a shift in the newest commits is reported by commit. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { recentShifts } from '../../src/store/recent-shifts.js';
import { renderShifts } from '../../src/report/shifts-markdown.js';
import { openStore } from '../../src/store/open.js';
import { saveRun } from '../../src/store/runs.js';
import { sampleRun } from '../fixtures/store/sample-run.js';
import { tempDir } from '../helpers.js';

function history(medians: number[]) {
  const db = openStore(join(tempDir(), 'h.db'));
  const runs = medians.map((m, i) => {
    const r = sampleRun(`run-${i}`, [m, m]);
    const sha = String(i).padStart(2, '0').repeat(20);
    return {
      ...r,
      head: { ...r.head, sha, message: `commit ${i}` },
      benchmarks: r.benchmarks.map((b) => ({ ...b, state: 'completed' as const, medianSeconds: m })),
    };
  });
  for (const r of runs) saveRun(db, r);
  return { db, last: runs.at(-1)! };
}

// Deterministic jitter (±0.5%) so the series is not perfectly flat.
const jitter = (i: number) => 1 + 0.005 * Math.sin(i * 12.9898);

describe('recent shifts', () => {
  it('names the commit where a series got slower, among the newest commits', () => {
    const medians = [
      ...Array.from({ length: 20 }, (_, i) => 1e-3 * jitter(i)),
      ...Array.from({ length: 5 }, (_, i) => 1.3e-3 * jitter(i + 20)),
    ];
    const { db, last } = history(medians);
    const shifts = recentShifts(db, last, { newest: 10, minSize: 3 });
    expect(shifts).toHaveLength(1);
    expect(shifts[0]).toMatchObject({
      benchmark: 'k/impl/fx',
      runId: 'run-20',
      sha: '20'.repeat(20),
      message: 'commit 20',
      runsAgo: 4,
    });
    expect(shifts[0]!.changePct).toBeGreaterThan(25);
    const md = renderShifts(shifts, {
      newest: 10,
      minSize: 3,
      runs: 25,
      commitUrl: (s) => `https://github.test/acme/widgets/commit/${s}`,
    });
    expect(md).toContain(
      `- **k/impl/fx**: slower by +${shifts[0]!.changePct.toFixed(1)}% from commit [\`2020202\`](https://github.test/acme/widgets/commit/${'20'.repeat(20)}) (commit 20), 4 runs ago`,
    );
    db.close();
  });

  it('an old shift is not news, and a flat series has none', () => {
    const old = [
      ...Array.from({ length: 8 }, (_, i) => 1e-3 * jitter(i)),
      ...Array.from({ length: 20 }, (_, i) => 1.3e-3 * jitter(i + 8)),
    ];
    const a = history(old);
    expect(recentShifts(a.db, a.last, { newest: 10 })).toEqual([]);
    const flat = history(Array.from({ length: 25 }, (_, i) => 1e-3 * jitter(i)));
    expect(recentShifts(flat.db, flat.last, { newest: 10 })).toEqual([]);
    expect(renderShifts([], { newest: 10, minSize: 3, runs: 25, commitUrl: null })).toContain('No shift found.');
  });
});
