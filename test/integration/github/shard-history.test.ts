/**
 * A sharded history job pushes one run file per shard; rebuilding the history from the data branch
 * joins the shard files of one commit into one run (merge's checks and join), stores it once however
 * often it is rebuilt, and stores nothing for a commit whose shards are not all there, naming the
 * missing shard. The shard files are cut from a captured history run (test/fixtures/report).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rebuildHistory } from '../../../src/github/rebuild-history.js';
import { writeRunFile } from '../../../src/github/run-files.js';
import type { RunReport } from '../../../src/model.js';
import { openStore } from '../../../src/store/open.js';
import { loadRun } from '../../../src/store/runs.js';
import { capturedRun, shardOf } from '../../fixtures/report/shards.js';
import { sampleRun } from '../../fixtures/store/sample-run.js';
import { tempDir } from '../../helpers.js';

const whole = capturedRun('history-run-v1');
const runIds = (db: string) =>
  (new Database(db, { readonly: true }).prepare('SELECT id FROM run ORDER BY rowid').all() as { id: string }[]).map(
    (r) => r.id,
  );

describe('rebuildHistory with shard run files', () => {
  it('joins the four shard files of one commit into one run, once', () => {
    const root = tempDir();
    const shards = [1, 2, 3, 4].map((k) => shardOf(whole, k, 4));
    // A shard on another runner CPU lands in another testbed's folder; it is still the same commit's run.
    shards[2] = { ...shards[2]!, testbed: { ...shards[2]!.testbed, key: 'othertestbed01', cpuModel: 'Other CPU' } };
    expect(shards.map((s) => s.benchmarks.length)).toEqual([1, 1, 1, 1]);
    const before: RunReport = { ...sampleRun('before-1', [1e-3, 1e-3]), startedAt: '2026-12-01T10:00:00.000Z' };
    writeRunFile(root, before);
    for (const s of shards) writeRunFile(root, s);

    const db = join(tempDir(), 'h.db');
    const warnings: string[] = [];
    expect(rebuildHistory(root, db, (m) => warnings.push(m))).toEqual({ files: 5, added: 2, skipped: [] });
    expect(warnings).toEqual([]);
    const ids = runIds(db);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe('before-1');
    expect(ids[1]).toMatch(/^shards-[0-9a-f]{40}$/);

    const store = openStore(db);
    try {
      const run = loadRun(store, ids[1]!) as RunReport;
      expect(run.kind).toBe('history');
      expect(run.head.sha).toBe(whole.head.sha);
      expect(run.testbed.key).toBe(whole.testbed.key);
      expect(run.benchmarks.map((b) => b.name).sort()).toEqual(whole.benchmarks.map((b) => b.name).sort());
      expect(run.summary).toEqual(whole.summary);
      const info = run.settings.shards as { n: number; runs: { k: number; run: string; testbed: string }[] };
      expect(info.n).toBe(4);
      expect(info.runs.map((r) => [r.k, r.run])).toEqual(shards.map((s, i) => [i + 1, s.id]));
      expect(info.runs[2]?.testbed).toBe('othertestbed01');
    } finally {
      store.close();
    }
    // Idempotent: a cached database gets nothing twice, and a fresh one gets the same run id.
    expect(rebuildHistory(root, db)).toEqual({ files: 5, added: 0, skipped: [] });
    const fresh = join(tempDir(), 'fresh.db');
    rebuildHistory(root, fresh);
    expect(runIds(fresh)).toEqual(ids);
  });

  it('stores nothing of a commit while a shard is missing, names it, and joins them once it arrives', () => {
    const root = tempDir();
    const shards = [1, 2, 3, 4].map((k) => shardOf(whole, k, 4));
    const rels = [shards[0]!, shards[2]!, shards[3]!].map((s) => writeRunFile(root, s));
    const db = join(tempDir(), 'h.db');
    const warnings: string[] = [];
    const r = rebuildHistory(root, db, (m) => warnings.push(m));
    expect(r).toEqual({ files: 3, added: 0, skipped: rels });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`the run of commit ${whole.head.sha!.slice(0, 12)} in 4 shards is not stored yet`);
    expect(warnings[0]).toContain('shard 2/4 is missing');
    expect(runIds(db)).toEqual([]);

    writeRunFile(root, shards[1]!);
    expect(rebuildHistory(root, db)).toEqual({ files: 4, added: 1, skipped: [] });
    expect(runIds(db)).toHaveLength(1);
  });

  it('refuses shards that do not make one run (a benchmark in two shards), naming the problem', () => {
    const root = tempDir();
    const shards = [1, 2].map((k) => shardOf(whole, k, 2));
    // Shard 2 claims shard 1's benchmarks too: a forged or confused file.
    shards[1] = { ...shards[1]!, benchmarks: [...shards[1]!.benchmarks, ...shards[0]!.benchmarks] };
    for (const s of shards) writeRunFile(root, s);
    const warnings: string[] = [];
    const db = join(tempDir(), 'h.db');
    const r = rebuildHistory(root, db, (m) => warnings.push(m));
    expect(r.added).toBe(0);
    expect(r.skipped).toHaveLength(2);
    expect(warnings.join('\n')).toMatch(/do not make one run: .*is in shard 1\/2 and shard 2\/2/);
    expect(runIds(db)).toEqual([]);
  });
});
