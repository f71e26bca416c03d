/**
 * planShard reads each benchmark's cost from the project's main-branch history (on the testbed
 * with the most runs, whichever machine asks) and balances the shards by it; without history, by
 * count. The history is a captured run (test/fixtures/report) stored twice with one benchmark made
 * slow.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../../src/model.js';
import { planShard } from '../../../src/pipeline/shard-plan.js';
import { openStore } from '../../../src/store/open.js';
import { saveRun } from '../../../src/store/runs.js';
import { validateRun } from '../../../src/validate/run.js';
import { tempDir } from '../../helpers.js';

const captured = validateRun(
  JSON.parse(readFileSync(new URL('../../fixtures/report/history-run-v1.json', import.meta.url), 'utf8')),
);

/** The captured run on main, with `spin/loop/small` taking `seconds` a call in every process. */
function onMain(id: string, seconds: number): RunReport {
  const run = structuredClone(captured);
  run.id = id;
  run.head = { ...run.head, ref: 'main' };
  for (const b of run.benchmarks)
    if (b.name === 'spin/loop/small') for (const m of b.measurements) m.medianSeconds = seconds;
  return run;
}

const listed = [
  ...captured.benchmarks.map((b) => ({ name: b.name, fixtureChecksum: b.fixtureChecksum, inFamily: true })),
  { name: 'new/never/measured', fixtureChecksum: 'x', inFamily: true },
];

describe('planShard', () => {
  it('balances by the stored cost: the slow benchmark shares its shard with one of median cost', () => {
    const db = openStore(join(tempDir(), 'h.db'));
    try {
      saveRun(db, onMain('run-1', 2));
      saveRun(db, onMain('run-2', 2));
      const where = { project: captured.project, mainBranch: 'main' };
      const parts = [1, 2].map((k) => planShard(db, where, listed, { k, n: 2 }, 0.01));
      // Costs: spin 3 × 2 s = 6, names the 0.1 s floor, the three without completed history the
      // median known cost (3.05). Longest first: spin | skips, throws | new | names.
      expect(parts.map((p) => [...p.names].sort())).toEqual([
        ['new/never/measured', 'spin/loop/small'],
        ['faults/skips/x', 'faults/throws/x', 'names/quote"s <b>html</b> & ünïcødé ✓/x'],
      ]);
      expect(parts.map((p) => p.record.balancedBy)).toEqual(['history', 'history']);
      expect(parts[0]?.record.partition).toBe(parts[1]?.record.partition);
      // Another branch's runs price nothing: by count.
      const byCount = planShard(db, { ...where, mainBranch: 'trunk' }, listed, { k: 1, n: 2 }, 0.01);
      expect(byCount.record.balancedBy).toBe('count');
      expect(byCount.names.size).toBe(3);
    } finally {
      db.close();
    }
  });
});
