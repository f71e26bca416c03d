/**
 * `storage: service` in history mode: the service's recent history runs loaded into a fresh
 * database (src/github/service-history.ts) from a real `benchgate serve` app on 127.0.0.1 over a
 * real SQLite file, seeded through the API with the real client (postRun). A tampering proxy in
 * front of it stands for a broken or hostile service; a closed port for one that is down.
 */
import type Database from 'better-sqlite3';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServiceHistory, SERVICE_HISTORY_RUNS } from '../../src/github/service-history.js';
import { postRun, ServiceError } from '../../src/github/service.js';
import type { RunReport } from '../../src/model.js';
import { HISTORY_DEPTH } from '../../src/pipeline/history-results.js';
import { startServer, type RunningServer } from '../../src/server/app.js';
import { DEFAULT_CHANGE_POINTS } from '../../src/store/change-points.js';
import { historyFor } from '../../src/store/history.js';
import { latestKeptProfile } from '../../src/store/kept-profiles.js';
import { openStore } from '../../src/store/open.js';
import { loadRun } from '../../src/store/runs.js';
import { createToken } from '../../src/store/tokens.js';
import { sampleRun } from '../fixtures/store/sample-run.js';
import { tempDir } from '../helpers.js';

const READ_TOKEN = 'read-secret-token';
const FAST = { attempts: 2, delayMs: 10 };

/** History run `i` of project demo on `testbed` (the fixture's other fields), started `i` minutes in. */
function historyRun(id: string, i: number, testbed = 'tb1', over: Partial<RunReport> = {}): RunReport {
  const run = sampleRun(id, [1e-3 * (1 + i / 1000), 1.01e-3, 0.99e-3]);
  const at = new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString();
  return { ...run, startedAt: at, finishedAt: at, testbed: { ...run.testbed, key: testbed }, ...over };
}

/** `run` with its benchmark carrying a kept profile. */
const keeping = (run: RunReport): RunReport => ({
  ...run,
  benchmarks: run.benchmarks.map((b) => ({
    ...b,
    keptProfile: { calls: 40, functions: [{ function: 'hot', file: 'suite.mjs', line: 3, msPerCall: 0.7 }] },
  })),
});

const runId = (i: number) => `r${String(i).padStart(3, '0')}`;

/** What the proxy does with a request: forward it (null), or answer this instead. */
type Tamper = (path: string, n: number) => { status: number; body: string; headers?: Record<string, string> } | null;

/** An HTTP proxy in front of `target` that logs each path and lets `tamper` answer in its place. */
async function proxy(target: string, tamper: Tamper): Promise<{ url: string; paths: string[]; server: Server }> {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    paths.push(path);
    const forged = tamper(path, paths.length);
    if (forged) {
      res.writeHead(forged.status, { 'content-type': 'application/json', ...forged.headers });
      if (forged.headers?.['content-length']) {
        // A declared length it never sends: the client must not wait for it.
        res.flushHeaders();
        res.write('[');
        return void setTimeout(() => res.socket?.destroy(), 2000);
      }
      return void res.end(forged.body);
    }
    void fetch(new URL(path, target), { headers: { authorization: req.headers.authorization ?? '' } }).then(
      async (r) => res.writeHead(r.status, { 'content-type': 'application/json' }).end(await r.text()),
      () => res.writeHead(502).end(),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, paths, server };
}

/** Ids of the runs in a database, in the order they were stored. */
const storedIds = (db: Database.Database): string[] =>
  (db.prepare('SELECT id FROM run ORDER BY rowid').all() as { id: string }[]).map((r) => r.id);

let serviceDb: Database.Database;
let service: RunningServer;
let token: string;
const proxies: Server[] = [];

beforeAll(async () => {
  serviceDb = openStore(join(tempDir(), 'service.db'));
  token = createToken(serviceDb, 'ci').token;
  service = await startServer({
    db: serviceDb,
    host: '127.0.0.1',
    port: 0,
    branch: 'main',
    repositoryUrl: null,
    readToken: READ_TOKEN,
    allowedHosts: null,
    maxBodyBytes: 32 * 1024 * 1024,
    changePoints: DEFAULT_CHANGE_POINTS,
  });
  // 60 history runs on tb1 (run 5 kept a profile; no newer one did), interleaved with runs of
  // another testbed, a compare run and another project's run, all through the API.
  for (let i = 0; i < 60; i++) {
    const run = historyRun(runId(i), i);
    expect(await postRun(service.url, token, i === 5 ? keeping(run) : run)).toBe(201);
    if (i % 20 === 0) {
      await postRun(service.url, token, historyRun(`other-tb-${i}`, i, 'tb2'));
      await postRun(service.url, token, historyRun(`compare-${i}`, i, 'tb1', { kind: 'compare' }));
      await postRun(service.url, token, historyRun(`other-project-${i}`, i, 'tb1', { project: 'elsewhere' }));
    }
  }
});
afterAll(async () => {
  for (const p of proxies) p.close();
  await service.close();
  serviceDb.close();
});

describe('loading the service history into a fresh database', () => {
  it("loads this testbed's newest 50 history runs and the older run that kept a profile, oldest first", async () => {
    const via = await proxy(service.url, () => null);
    proxies.push(via.server);
    const path = join(tempDir(), 'fresh.db');
    const warnings: string[] = [];
    const loaded = await loadServiceHistory(via.url, token, path, { project: 'demo', testbedKey: 'tb1' }, (m) =>
      warnings.push(m),
    );
    expect(warnings).toEqual([]);
    const newest = Array.from({ length: SERVICE_HISTORY_RUNS }, (_, k) => runId(60 - SERVICE_HISTORY_RUNS + k));
    expect(loaded).toEqual({ projectFound: true, listed: 51, added: 51, skipped: [] });
    const db = openStore(path);
    try {
      expect(storedIds(db)).toEqual([runId(5), ...newest]);
      // Each run as the service holds it, its kept profile included.
      for (const id of storedIds(db)) expect(loadRun(db, id)).toEqual(loadRun(serviceDb, id));
      expect(loadRun(db, runId(5))?.benchmarks[0]?.keptProfile).toEqual({
        calls: 40,
        functions: [{ function: 'hot', file: 'suite.mjs', line: 3, msPerCall: 0.7 }],
      });
      const which = { project: 'demo', testbedKey: 'tb1', benchmark: 'k/impl/fx', fixtureChecksum: 'ff00' };
      expect(latestKeptProfile(db, which)?.runId).toBe(runId(5));
      // A verdict reads the newest 20, newest first, as it would on the service's own database.
      const history = historyFor(db, { ...which, limit: HISTORY_DEPTH });
      expect(history.map((h) => h.runId)).toEqual(
        historyFor(serviceDb, { ...which, limit: HISTORY_DEPTH }).map((h) => h.runId),
      );
      expect(history.map((h) => h.runId)).toEqual(newest.slice(-HISTORY_DEPTH).reverse());
    } finally {
      db.close();
    }
    // Three lists, then one read per run.
    expect(via.paths.slice(0, 3)).toEqual([
      '/api/v1/projects',
      `/api/v1/projects/1/runs?kind=history&testbed=tb1&limit=${SERVICE_HISTORY_RUNS}`,
      '/api/v1/projects/1/runs?kind=history&testbed=tb1&kept=true&limit=1',
    ]);
    expect(via.paths).toHaveLength(3 + 51);

    // Again into the same database: nothing new, and no run is read twice.
    via.paths.length = 0;
    const again = await loadServiceHistory(via.url, token, path, { project: 'demo', testbedKey: 'tb1' });
    expect(again).toEqual({ projectFound: true, listed: 51, added: 0, skipped: [] });
    expect(via.paths).toHaveLength(3);
  });

  it('for a shard, loads the newest 50 of every testbed (the same for every job) and no kept run', async () => {
    const via = await proxy(service.url, () => null);
    proxies.push(via.server);
    const path = join(tempDir(), 'shard.db');
    const loaded = await loadServiceHistory(via.url, token, path, { project: 'demo', testbedKey: null });
    expect(loaded).toMatchObject({ listed: SERVICE_HISTORY_RUNS, added: SERVICE_HISTORY_RUNS });
    expect(via.paths[1]).toBe(`/api/v1/projects/1/runs?kind=history&limit=${SERVICE_HISTORY_RUNS}`);
    expect(via.paths.some((p) => p.includes('kept='))).toBe(false);
    const db = openStore(path);
    try {
      const ids = storedIds(db);
      expect(ids).toContain('other-tb-40');
      expect(ids.some((id) => id.startsWith('compare-') || id.startsWith('other-project-'))).toBe(false);
    } finally {
      db.close();
    }
  });

  it('a project the service does not have yet loads nothing', async () => {
    const path = join(tempDir(), 'none.db');
    const loaded = await loadServiceHistory(service.url, token, path, { project: 'new-project', testbedKey: 'tb1' });
    expect(loaded).toEqual({ projectFound: false, listed: 0, added: 0, skipped: [] });
  });

  it('skips, with a warning naming each, runs that are invalid, not the run asked for, missing or too large', async () => {
    const forged: Record<string, { status: number; body: string; headers?: Record<string, string> }> = {
      [runId(59)]: { status: 200, body: JSON.stringify({ ...historyRun(runId(59), 59), schema: 'benchgate.run/v0' }) },
      [runId(58)]: { status: 200, body: '{"not": "closed"' },
      [runId(57)]: { status: 200, body: JSON.stringify(historyRun(runId(1), 1)) },
      [runId(56)]: { status: 200, body: JSON.stringify(historyRun(runId(56), 56, 'tb1', { project: 'elsewhere' })) },
      [runId(55)]: { status: 200, body: JSON.stringify(historyRun(runId(55), 55, 'tb2')) },
      [runId(54)]: { status: 200, body: JSON.stringify(historyRun(runId(54), 54, 'tb1', { kind: 'compare' })) },
      [runId(53)]: { status: 404, body: '{"error":"no run with id"}' },
      [runId(52)]: { status: 200, body: '', headers: { 'content-length': String(33 * 1024 * 1024) } },
      [runId(51)]: { status: 200, body: `[${'0,'.repeat(17 * 1024 * 1024)}0]` },
    };
    const via = await proxy(service.url, (path) => forged[path.replace('/api/v1/runs/', '')] ?? null);
    proxies.push(via.server);
    const path = join(tempDir(), 'tampered.db');
    const warnings: string[] = [];
    const loaded = await loadServiceHistory(via.url, token, path, { project: 'demo', testbedKey: 'tb1' }, (m) =>
      warnings.push(m),
    );
    expect(loaded.skipped.sort()).toEqual(Object.keys(forged).sort());
    expect(loaded.added).toBe(51 - 9);
    const said = (id: string) => warnings.find((w) => w.includes(`run ${id} `)) ?? '';
    expect(said(runId(59))).toMatch(/not a valid run: schema must be/);
    expect(said(runId(58))).toContain('the answer is not JSON');
    expect(said(runId(57))).toContain('not the history run asked for: it is run "r001"');
    expect(said(runId(56))).toContain('it is of project "elsewhere"');
    expect(said(runId(55))).toContain('it is of testbed tb2');
    expect(said(runId(54))).toContain('it is a compare run');
    expect(said(runId(53))).toContain('HTTP 404');
    expect(said(runId(52))).toContain('larger than 33554432 bytes');
    expect(said(runId(51))).toContain('larger than 33554432 bytes');
    const db = openStore(path);
    try {
      expect(storedIds(db)).toHaveLength(42);
      expect(storedIds(db)).not.toContain(runId(1));
    } finally {
      db.close();
    }
  });

  it('retries a 5xx, then loads', async () => {
    const via = await proxy(service.url, (_path, n) => (n === 1 ? { status: 503, body: '{"error":"busy"}' } : null));
    proxies.push(via.server);
    const loaded = await loadServiceHistory(
      via.url,
      token,
      join(tempDir(), 'retry.db'),
      {
        project: 'demo',
        testbedKey: 'tb1',
      },
      undefined,
      FAST,
    );
    expect(loaded.added).toBe(51);
    expect(via.paths.slice(0, 2)).toEqual(['/api/v1/projects', '/api/v1/projects']);
  });

  it('a service that cannot be reached fails with a ServiceError naming the URL, not the token', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const load = loadServiceHistory(
      `http://127.0.0.1:${port}/`,
      token,
      join(tempDir(), 'down.db'),
      {
        project: 'demo',
        testbedKey: 'tb1',
      },
      undefined,
      FAST,
    );
    await expect(load).rejects.toThrow(ServiceError);
    const message = await load.catch((e: Error) => e.message);
    expect(message).toContain(`could not read http://127.0.0.1:${port}/api/v1/projects after 2 attempts: fetch failed`);
    expect(message).toContain('ECONNREFUSED');
    expect(message).not.toContain(token);
  });

  it('a token the service refuses, or an answer that is no list, fails at once naming the URL', async () => {
    const refused = loadServiceHistory(service.url, 'bgt_wrong-token', join(tempDir(), 'refused.db'), {
      project: 'demo',
      testbedKey: 'tb1',
    });
    await expect(refused).rejects.toThrow(
      new RegExp(`${service.url}api/v1/projects refused to answer \\(HTTP 401\\): .*the read token is not valid`),
    );
    await expect(refused.catch((e: Error) => e.message)).resolves.not.toContain('bgt_wrong-token');
    // The read token reads as well as the API token.
    await expect(
      loadServiceHistory(service.url, READ_TOKEN, join(tempDir(), 'read.db'), { project: 'demo', testbedKey: 'tb1' }),
    ).resolves.toMatchObject({ added: 51 });
    const html = await proxy(service.url, () => ({ status: 200, body: '<html>a login page</html>' }));
    proxies.push(html.server);
    await expect(
      loadServiceHistory(html.url, token, join(tempDir(), 'html.db'), { project: 'demo', testbedKey: 'tb1' }),
    ).rejects.toThrow(`${html.url}api/v1/projects did not answer a list: the answer is not JSON`);
  });
});

describe('GET /projects/:project/runs with a query', () => {
  const get = (query: string, auth = READ_TOKEN) =>
    fetch(new URL(`api/v1/projects/1/runs${query}`, service.url), { headers: { authorization: `Bearer ${auth}` } });

  it('filters by kind, branch, testbed and kept profiles, and limits', async () => {
    const ids = async (query: string) => ((await (await get(query)).json()) as { id: string }[]).map((r) => r.id);
    expect(await ids('')).toHaveLength(60 + 3 * 3 - 3); // other-project runs are another project's
    expect(await ids('?kind=compare')).toEqual(['compare-40', 'compare-20', 'compare-0']);
    expect(await ids('?kind=history&testbed=tb2')).toEqual(['other-tb-40', 'other-tb-20', 'other-tb-0']);
    expect(await ids('?kind=history&testbed=tb1&limit=2')).toEqual([runId(59), runId(58)]);
    expect(await ids('?kept=true')).toEqual([runId(5)]);
    expect(await ids('?branch=main&limit=1')).toEqual([runId(59)]);
    expect(await ids('?branch=feature')).toEqual([]);
    expect(await ids('?testbed=no-such-testbed')).toEqual([]);
    expect(await ids('.json?kind=compare&limit=1')).toEqual(['compare-40']);
  });

  it.each([
    ['?kind=histories', 'kind must be history or compare but got "histories"'],
    ['?limit=0', 'limit must be an integer from 1 to 200 but got "0"'],
    ['?limit=201', 'limit must be an integer from 1 to 200 but got "201"'],
    ['?limit=1.5', 'limit must be an integer from 1 to 200 but got "1.5"'],
    ['?limit=', 'limit must be an integer from 1 to 200 but got ""'],
    ['?kept=yes', 'kept must be true (runs that kept a profile) but got "yes"'],
    ['?branch=', 'branch must be a branch name (1 to 200 characters) but got ""'],
    ['?testbed=a%0Ab', `testbed must be a testbed's fingerprint (its key) (1 to 200 characters) but got "a\\nb"`],
    [`?branch=${'x'.repeat(201)}`, 'branch must be a branch name (1 to 200 characters)'],
    ['?limt=5', 'unknown parameter "limt": the run list takes kind, branch, testbed, kept, limit'],
    ['?kind=history&kind=compare', 'kind is given more than once'],
  ])('%s is 400, naming the parameter', async (query, message) => {
    const res = await get(query);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain(message);
  });
});
