/**
 * Shards of one history run posted to a real server (node:http on 127.0.0.1, a SQLite file): each
 * is held until all N are there, then merged into the one run the data branch would store; the
 * same shard twice stores nothing new, three of four store no run, and a shard that does not make
 * one run with those held is refused naming the problem, losing nothing held. The shards are cut
 * from a captured history run (test/fixtures/report).
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import type { RunReport } from '../../src/model.js';
import { joinShardRuns, shardRecordOf } from '../../src/report/merge-runs.js';
import { DEFAULT_CHANGE_POINTS } from '../../src/store/change-points.js';
import { startServer, type RunningServer } from '../../src/server/app.js';
import { openStore } from '../../src/store/open.js';
import { createToken } from '../../src/store/tokens.js';
import { capturedRun, shardOf } from '../fixtures/report/shards.js';
import { tempDir } from '../helpers.js';

const whole = capturedRun('history-run-v1');
const fourShards = () => [1, 2, 3, 4].map((k) => shardOf(whole, k, 4));

interface Served {
  path: string;
  db: Database.Database;
  server: RunningServer;
  token: string;
}

const open: Served[] = [];

async function serve(path = join(tempDir(), 'history.db')): Promise<Served> {
  const db = openStore(path);
  const { token } = createToken(db, `ci-${Date.now()}-${open.length}`);
  const server = await startServer({
    db,
    host: '127.0.0.1',
    port: 0,
    branch: 'main',
    repositoryUrl: null,
    readToken: null,
    allowedHosts: null,
    maxBodyBytes: 1024 * 1024,
    changePoints: DEFAULT_CHANGE_POINTS,
  });
  const s = { path, db, server, token };
  open.push(s);
  return s;
}

async function stop(s: Served): Promise<void> {
  open.splice(open.indexOf(s), 1);
  await s.server.close();
  s.db.close();
}

afterEach(async () => {
  for (const s of [...open]) await stop(s);
});

async function post(s: Served, run: RunReport): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(new URL('api/v1/runs', s.server.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${s.token}` },
    body: JSON.stringify(run),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const runIds = (s: Served) =>
  (s.db.prepare('SELECT id FROM run ORDER BY rowid').all() as { id: string }[]).map((r) => r.id);
const heldRows = (s: Served) =>
  s.db.prepare('SELECT k, run_id AS runId, sha256 FROM held_shard ORDER BY k').all() as {
    k: number;
    runId: string;
    sha256: string;
  }[];

describe('shards posted to the service', () => {
  it('holds shards in any order and stores the fourth as one run equal to the unsharded one', async () => {
    const s = await serve();
    const shards = fourShards();
    expect(shards.map((r) => r.benchmarks.length)).toEqual([1, 1, 1, 1]);
    const answers = [];
    for (const k of [3, 1, 4, 2]) answers.push(await post(s, shards[k - 1]!));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 201]);
    expect(answers[0]!.body).toMatchObject({
      id: shards[2]!.id,
      stored: false,
      held: true,
      shard: { k: 3, n: 4 },
      waiting: [1, 2, 4],
      message: 'shard 3/4 held; waiting for shards 1, 2, 4',
    });
    expect(answers[2]!.body.message).toBe('shard 4/4 held; waiting for shards 2');
    const expectedId = joinShardRuns(
      shards.map((r) => ({ source: r.id, report: r, shard: shardRecordOf(r.settings) })),
    ).id;
    expect(answers[3]!.body).toMatchObject({
      id: expectedId,
      stored: true,
      benchmarks: 4,
      shard: { k: 2, n: 4 },
      shardId: shards[1]!.id,
      message: `shard 2/4 completed the run: its 4 shards were merged into run ${expectedId}`,
    });
    // Exactly one run, under the id the data branch gives the same shards.
    expect(runIds(s)).toEqual([expectedId]);
    const res = await fetch(new URL(`api/v1/runs/${expectedId}`, s.server.url));
    const run = (await res.json()) as RunReport;
    const byName = (r: RunReport) => [...r.benchmarks].sort((a, b) => a.name.localeCompare(b.name));
    expect(byName(run)).toEqual(byName(whole));
    expect(run.summary).toEqual(whole.summary);
    expect(run.head).toEqual(whole.head);
    expect(run.settings.shard).toBeUndefined();
    expect((run.settings.shards as { runs: { run: string }[] }).runs.map((r) => r.run)).toEqual(
      shards.map((r) => r.id),
    );
    // The merged group keeps its shards' digests and drops their reports.
    expect(s.db.prepare('SELECT count(*) AS n FROM held_shard WHERE report_json IS NOT NULL').get()).toEqual({ n: 0 });
  });

  it('takes the same shard twice as a no-op, before and after the merge', async () => {
    const s = await serve();
    const shards = fourShards();
    expect((await post(s, shards[0]!)).status).toBe(202);
    const held = heldRows(s);
    const again = await post(s, shards[0]!);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: shards[0]!.id, stored: false, mergedInto: null, waiting: [2, 3, 4] });
    expect(again.body.message).toBe(
      `shard 1/4 (run ${shards[0]!.id}) was received before; nothing changed; waiting for shards 2, 3, 4`,
    );
    expect(heldRows(s)).toEqual(held);
    for (const r of shards.slice(1)) await post(s, r);
    const [merged] = runIds(s);
    const late = await post(s, shards[3]!);
    expect(late.status).toBe(200);
    expect(late.body).toMatchObject({ stored: false, mergedInto: merged });
    expect(runIds(s)).toEqual([merged]);
    expect(heldRows(s)).toHaveLength(4);
  });

  it('stores no run from three of four shards, and holds them across a restart of the server', async () => {
    const first = await serve();
    const shards = fourShards();
    for (const k of [4, 2, 1]) expect((await post(first, shards[k - 1]!)).status).toBe(202);
    expect(runIds(first)).toEqual([]);
    const projects = await (await fetch(new URL('api/v1/projects', first.server.url))).json();
    expect(projects).toEqual([]);
    expect(heldRows(first).map((h) => h.k)).toEqual([1, 2, 4]);
    const path = first.path;
    await stop(first);
    const second = await serve(path);
    const last = await post(second, shards[2]!);
    expect(last.status).toBe(201);
    expect(runIds(second)).toEqual([last.body.id]);
  });

  it('refuses a shard that does not make one run with those held, naming the problem and losing nothing', async () => {
    const s = await serve();
    const shards = fourShards();
    await post(s, shards[0]!);
    await post(s, shards[1]!);
    const held = heldRows(s);

    // Other settings: the threshold differs from the held shards'.
    const otherSettings = { ...shards[2]!, settings: { ...shards[2]!.settings, thresholdPct: 99 } };
    const a = await post(s, otherSettings);
    expect(a.status).toBe(409);
    expect(a.body.error).toMatch(
      /^shard refused, nothing stored: the shards are not of one run: setting 'thresholdPct' is/,
    );
    expect(a.body.error).toContain(`shard 3/4 (run ${shards[2]!.id})`);

    // A benchmark in two shards: shard 3 also claims shard 1's benchmark (its record listing it too).
    const claimed = shards[0]!.benchmarks[0]!;
    const record = shards[2]!.settings.shard as { names: string[] };
    const twice = {
      ...shards[2]!,
      benchmarks: [...shards[2]!.benchmarks, claimed],
      settings: { ...shards[2]!.settings, shard: { ...record, names: [...record.names, claimed.name] } },
    };
    const b = await post(s, twice);
    expect(b.status).toBe(409);
    expect(b.body.error).toContain(`benchmark ${JSON.stringify(claimed.name)} is in shard 1/4 and shard 3/4`);

    // A shard whose benchmarks are not those its record lists is refused alone (422).
    const forged = { ...shards[2]!, benchmarks: [...shards[2]!.benchmarks, claimed] };
    const c = await post(s, forged);
    expect(c.status).toBe(422);
    expect(c.body.error).toContain('its benchmarks are not the ones its shard record lists');

    // Nothing held was lost or changed; the good shards still make the run.
    expect(heldRows(s)).toEqual(held);
    expect(runIds(s)).toEqual([]);
    expect((await post(s, shards[2]!)).status).toBe(202);
    expect((await post(s, shards[3]!)).status).toBe(201);
    expect(runIds(s)).toHaveLength(1);
  });

  it('lets a re-run shard replace the one held, and stores nothing of one that comes after the merge', async () => {
    const s = await serve();
    const shards = fourShards();
    await post(s, shards[0]!);
    const rerun = { ...shards[0]!, id: `${shards[0]!.id.slice(0, 20)}-rerun` };
    const replaced = await post(s, rerun);
    expect(replaced.status).toBe(202);
    expect(replaced.body.message).toContain(`it replaces the shard 1/4 held before (run ${shards[0]!.id})`);
    expect(heldRows(s).map((h) => h.runId)).toEqual([rerun.id]);
    for (const r of shards.slice(1)) await post(s, r);
    const [merged] = runIds(s);
    const late = await post(s, { ...shards[1]!, id: `${shards[1]!.id.slice(0, 20)}-late` });
    expect(late.status).toBe(200);
    expect(late.body.message).toBe(
      `the shards of this run were already merged into run ${merged}; shard 2/4 (run ${shards[1]!.id.slice(0, 20)}-late) was not stored`,
    );
    expect(runIds(s)).toEqual([merged]);
  });
});
