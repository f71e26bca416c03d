import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import type { MeasureSeries, Overview, ProjectSummary, RunReport, Series, StoredRoofline } from '../../src/model.js';
import { DEFAULT_CHANGE_POINTS } from '../../src/store/change-points.js';
import { startServer, type RunningServer } from '../../src/server/app.js';
import type { ServiceSettings } from '../../src/server/context.js';
import { openStore } from '../../src/store/open.js';
import { createToken, revokeToken } from '../../src/store/tokens.js';
import { ingestRun } from '../../src/server/ingest/ingest.js';
import { tempDir } from '../helpers.js';
import {
  historyRunAt,
  NAMES,
  peakMemoryOf,
  ROOFLINE,
  ROOFLINE_V1,
  SHIFT_AT,
  SHIFTED,
  XSS_NAME,
} from '../fixtures/server/history.js';

const settings = (over: Partial<ServiceSettings> = {}): ServiceSettings => ({
  branch: 'main',
  repositoryUrl: 'https://github.com/example/demo',
  readToken: null,
  allowedHosts: null,
  maxBodyBytes: 1024 * 1024,
  changePoints: DEFAULT_CHANGE_POINTS,
  ...over,
});

async function serve(
  over: Partial<ServiceSettings> = {},
): Promise<{ db: Database.Database; server: RunningServer; token: string }> {
  const db = openStore(join(tempDir(), 'history.db'));
  const { token } = createToken(db, 'ci');
  const server = await startServer({ db, host: '127.0.0.1', port: 0, ...settings(over) });
  return { db, server, token };
}

function post(
  base: string,
  path: string,
  body: unknown,
  token: string | null,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(new URL(path, base), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('the history API over real HTTP', () => {
  let s: Awaited<ReturnType<typeof serve>>;
  let base: string;
  beforeAll(async () => {
    s = await serve();
    base = s.server.url;
  });
  afterAll(async () => {
    await s.server.close();
    s.db.close();
  });

  it('answers an empty store with empty lists and sends the security headers', async () => {
    const res = await fetch(new URL('api/v1/projects', base));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([]);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const page = await fetch(base);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await page.text()).toContain('<script src="app.js" defer>');
  });

  it('refuses writes without a valid token (401, JSON error)', async () => {
    const run = historyRunAt(0, 1);
    const none = await post(base, 'api/v1/runs', run, null);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await none.json()).error).toMatch(/needs an API token/);
    const wrong = await post(base, 'api/v1/runs', run, 'bg_not-a-real-token');
    expect(wrong.status).toBe(401);
    const { token } = createToken(s.db, 'short-lived');
    revokeToken(s.db, 'short-lived');
    expect((await post(base, 'api/v1/runs', run, token)).status).toBe(401);
    expect((await fetch(new URL('api/v1/projects', base)).then((r) => r.json())) as unknown[]).toEqual([]);
  });

  it('rejects bad JSON (400), another content type (415) and names the bad field (422)', async () => {
    const bad = await post(base, 'api/v1/runs', '{"schema": "benchgate.run/v1",', s.token);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/not valid JSON/);
    const text = await post(base, 'api/v1/runs', JSON.stringify(historyRunAt(0, 1)), s.token, {
      'Content-Type': 'text/plain',
    });
    expect(text.status).toBe(415);
    const run = historyRunAt(0, 1) as unknown as { benchmarks: { verdict: { kind: string } }[]; head: { sha: string } };
    run.benchmarks[2]!.verdict.kind = 'worse';
    const invalid = await post(base, 'api/v1/runs', run, s.token);
    expect(invalid.status).toBe(422);
    expect((await invalid.json()).error).toBe(
      'benchmarks[2].verdict.kind must be one of regressed, improved, unchanged, inconclusive but got "worse"',
    );
    const noId = { ...historyRunAt(0, 1), id: '../../etc/passwd' };
    expect((await (await post(base, 'api/v1/runs', noId, s.token)).json()).error).toMatch(/^id must be a run id/);
    const sha = historyRunAt(0, 1) as unknown as { head: { sha: string } };
    sha.head.sha = 'not hex';
    expect((await (await post(base, 'api/v1/runs', sha, s.token)).json()).error).toMatch(
      /^head\.sha must be a hexadecimal commit SHA/,
    );
  });

  it('stores a run (201), takes a retry as a no-op (200) and refuses a different run under the same id (409)', async () => {
    const run = historyRunAt(0, 60);
    const first = await post(base, 'api/v1/runs', run, s.token);
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({
      id: run.id,
      stored: true,
      benchmarks: NAMES.length,
      measurements: NAMES.length,
    });
    const again = await post(base, 'api/v1/runs', run, s.token);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id: run.id, stored: false });
    const changed = { ...run, profile: 'full' };
    const conflict = await post(base, 'api/v1/runs', changed, s.token);
    expect(conflict.status).toBe(409);
    expect((await conflict.json()).error).toMatch(/already stored with different content/);
    const back = (await (await fetch(new URL(`api/v1/runs/${run.id}`, base))).json()) as RunReport;
    expect(back.profile).toBe('quick');
    expect(back.benchmarks.map((b) => b.name).sort()).toEqual([...NAMES].sort());
    expect(back.benchmarks[0]?.verdict?.method).toBe('history-robust-z');
  });

  it('keeps a history run’s kept profiles, serves them back, and tells a changed one from a retry', async () => {
    // A server of its own: the tests below count the shared one's runs.
    const own = await serve();
    const base = own.server.url;
    const plain = historyRunAt(1, 61);
    const leaf = { function: 'leafWork', file: 'kernels/deep.ts', line: 7, msPerCall: 0.5 };
    const run: RunReport = {
      ...plain,
      benchmarks: plain.benchmarks.map((b, i) =>
        i === 0 ? { ...b, keptProfile: { calls: 40, functions: [leaf] } } : b,
      ),
    };
    expect((await post(base, 'api/v1/runs', run, own.token)).status).toBe(201);
    expect((await post(base, 'api/v1/runs', run, own.token)).status).toBe(200);
    const changed = {
      ...run,
      benchmarks: run.benchmarks.map((b, i) =>
        i === 0 ? { ...b, keptProfile: { calls: 40, functions: [{ ...leaf, msPerCall: 0.75 }] } } : b,
      ),
    };
    expect((await post(base, 'api/v1/runs', changed, own.token)).status).toBe(409);
    const back = (await (await fetch(new URL(`api/v1/runs/${run.id}`, base))).json()) as RunReport;
    expect(back.benchmarks.find((b) => b.name === run.benchmarks[0]?.name)?.keptProfile).toEqual({
      calls: 40,
      functions: [leaf],
    });
    expect(own.db.prepare('SELECT count(*) AS n FROM kept_profile WHERE run_id = ?').get(run.id)).toEqual({ n: 1 });
    await own.server.close();
    own.db.close();
  });

  it('stores change points per series and recomputes them as runs arrive', async () => {
    for (let i = 1; i < 25; i++)
      expect((await post(base, 'api/v1/runs', historyRunAt(i, 60), s.token)).status).toBe(201);
    const projects = (await (await fetch(new URL('api/v1/projects.json', base))).json()) as ProjectSummary[];
    const p = projects[0] as ProjectSummary;
    const t = p.testbeds[0]!;
    const overview = (await (
      await fetch(new URL(`api/v1/projects/${p.id}/testbeds/${t.id}/overview`, base))
    ).json()) as Overview;
    const shifted = overview.rows.find((r) => r.name === SHIFTED)!;
    const seriesUrl = new URL(`api/v1/projects/${p.id}/testbeds/${t.id}/benchmarks/${shifted.id}/series`, base);
    const before = (await (await fetch(seriesUrl)).json()) as Series;
    expect(before.points.runId).toHaveLength(25);
    expect(before.points.medianSeconds).toHaveLength(25);
    expect(before.changePoints).toEqual([]);
    for (let i = 25; i < 60; i++)
      expect((await post(base, 'api/v1/runs', historyRunAt(i, 60), s.token)).status).toBe(201);
    // The server recomputes in the background; a read of a stale series recomputes it at once.
    const after = (await (await fetch(seriesUrl)).json()) as Series;
    expect(after.points.runId).toHaveLength(60);
    expect(after.points.state.every((st) => st === 'completed')).toBe(true);
    expect(after.changePoints.map((c) => c.position)).toEqual([SHIFT_AT]);
    expect(after.changePoints[0]?.changePct).toBeGreaterThan(25);
    expect(after.changePoints[0]?.sha).toBe(after.points.sha[SHIFT_AT]);
    const stored = s.db.prepare('SELECT count(*) AS n FROM change_point').get() as { n: number };
    expect(stored.n).toBe(1);
    // Noise-only series have none.
    const flat = overview.rows.find((r) => r.name === 'matmul/ts-typed/n64')!;
    const flatSeries = (await (
      await fetch(new URL(`api/v1/projects/${p.id}/testbeds/${t.id}/benchmarks/${flat.id}/series`, base))
    ).json()) as Series;
    expect(flatSeries.changePoints).toEqual([]);
    const later = (await (
      await fetch(new URL(`api/v1/projects/${p.id}/testbeds/${t.id}/overview`, base))
    ).json()) as Overview;
    const row = later.rows.find((r) => r.name === SHIFTED)!;
    expect(row.changePoints).toBe(1);
    expect(row.verdict?.kind).toBe('regressed');
    expect(row.sparkline).toHaveLength(40);
    expect(later.rows.find((r) => r.name === XSS_NAME)?.kernel).toBe('select');
  });

  it('serves a series per measure, keeps time as it was, and answers an unknown measure with 400 naming it', async () => {
    const get = async (path: string): Promise<Response> => fetch(new URL(`api/v1/${path}`, base));
    const projects = (await (await get('projects')).json()) as ProjectSummary[];
    const p = projects.find((x) => x.name === 'demo')!;
    const t = p.testbeds[0]!;
    const overview = (await (await get(`projects/${p.id}/testbeds/${t.id}/overview`)).json()) as Overview;
    const series = `projects/${p.id}/testbeds/${t.id}/benchmarks/${overview.rows.find((r) => r.name === SHIFTED)!.id}/series`;
    const timeText = await (await get(series)).text();
    expect(await (await get(`${series}?measure=time`)).text()).toBe(timeText);
    const time = JSON.parse(timeText) as Series;
    expect(time.measures).toEqual(['time', 'peak-memory']);
    expect(time.points.medianSeconds).toHaveLength(60);
    const res = await get(`${series}?measure=peak-memory`);
    expect(res.status).toBe(200);
    const peak = (await res.json()) as MeasureSeries;
    expect(peak.measure).toBe('peak-memory');
    expect(peak.points.runId).toEqual(time.points.runId);
    expect(peak.points).not.toHaveProperty('medianSeconds');
    expect(peak.points.values[0]).toBe(peakMemoryOf(0));
    expect(peak.points.values.at(-1)).toBeCloseTo(peakMemoryOf(0) * 1.12);
    expect(peak.changePoints).toEqual([]);
    // The path form is what the static export writes; a measure without figures is all nulls.
    expect(await (await get(`${series}/peak-memory.json`)).json()).toEqual(peak);
    const allocated = (await (await get(`${series}?measure=allocated`)).json()) as MeasureSeries;
    expect(allocated.points.values.every((v) => v === null)).toBe(true);
    for (const bad of [`${series}?measure=cpu-time`, `${series}/cpu-time`]) {
      const refused = await get(bad);
      expect(refused.status).toBe(400);
      expect((await refused.json()).error).toBe(
        `measure must be one of time, peak-memory, allocated, allocations, instructions, throughput, '<unit>/op', '<unit>/s' or 'counter:<name>' but got "cpu-time"`,
      );
    }
    // A series of time alone reads exactly as before measures: no `measures` key.
    const timeOnly = historyRunAt(0, 1, ['plain/impl/fx']);
    timeOnly.benchmarks = timeOnly.benchmarks.map((b) => ({
      ...b,
      measures: [],
      measurements: b.measurements.map(({ values: _v, ...m }) => m),
    }));
    expect(
      (await post(base, 'api/v1/runs', { ...timeOnly, id: 'time-only-1', project: 'time-only' }, s.token)).status,
    ).toBe(201);
    const other = ((await (await get('projects')).json()) as ProjectSummary[]).find((x) => x.name === 'time-only')!;
    const [bench] = (await (await get(`projects/${other.id}/benchmarks`)).json()) as { id: number }[];
    const plain = (await (
      await get(`projects/${other.id}/testbeds/${other.testbeds[0]!.id}/benchmarks/${bench!.id}/series`)
    ).json()) as Series;
    expect(plain.points.runId).toEqual(['time-only-1']);
    expect(Object.keys(plain)).toEqual([
      'project',
      'benchmark',
      'testbed',
      'branch',
      'repositoryUrl',
      'points',
      'changePoints',
    ]);
  });

  it('lists runs and benchmarks, and answers unknown things with 404 and wrong methods with 405', async () => {
    const p = ((await (await fetch(new URL('api/v1/projects', base))).json()) as ProjectSummary[])[0]!;
    const runs = (await (await fetch(new URL(`api/v1/projects/${p.id}/runs`, base))).json()) as { id: string }[];
    expect(runs[0]?.id).toBe('run-00059');
    const benchmarks = (await (await fetch(new URL(`api/v1/projects/${p.id}/benchmarks`, base))).json()) as unknown[];
    expect(benchmarks).toHaveLength(NAMES.length);
    for (const path of [
      'api/v1/runs/nope',
      'api/v1/projects/999/benchmarks',
      'api/v1/projects/x/runs',
      'api/v1/nothing',
      'nothing.html',
    ]) {
      const res = await fetch(new URL(path, base));
      expect(res.status, path).toBe(404);
      expect(typeof (await res.json()).error).toBe('string');
    }
    const del = await fetch(new URL('api/v1/runs', base), { method: 'DELETE' });
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('POST');
  });

  it('stores a roofline report behind the token and serves the latest', async () => {
    const p = ((await (await fetch(new URL('api/v1/projects', base))).json()) as ProjectSummary[])[0]!;
    expect(await (await fetch(new URL(`api/v1/projects/${p.id}/roofline`, base))).json()).toBeNull();
    expect((await post(base, 'api/v1/roofline?project=demo', ROOFLINE, null)).status).toBe(401);
    const bad = await post(
      base,
      'api/v1/roofline?project=demo',
      { ...ROOFLINE, machine: { fmaPeakGflops: 'fast' } },
      s.token,
    );
    expect(bad.status).toBe(422);
    expect((await bad.json()).error).toMatch(/^machine\.fmaPeakGflops must be a finite number/);
    const badIqr = await post(
      base,
      'api/v1/roofline?project=demo',
      { ...ROOFLINE, results: [{ ...ROOFLINE.results[0], fractionIqr: [0.4, 0.3] }] },
      s.token,
    );
    expect(badIqr.status).toBe(422);
    expect((await badIqr.json()).error).toMatch(/^results\[0\]\.fractionIqr must be a pair \[q1, q3\]/);
    // v1 reports (no spreads) are still accepted and served as they came.
    for (const report of [ROOFLINE_V1, ROOFLINE]) {
      expect((await post(base, 'api/v1/roofline?project=demo', report, s.token)).status).toBe(201);
      const got = (await (await fetch(new URL(`api/v1/projects/${p.id}/roofline`, base))).json()) as StoredRoofline;
      expect(got.report).toStrictEqual(report);
    }
  });

  it('refuses a Host header that is not loopback (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const u = new URL(base);
      request(
        { host: u.hostname, port: u.port, path: '/api/v1/projects', headers: { Host: 'evil.example:80' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      )
        .on('error', reject)
        .end();
    });
    expect(status).toBe(403);
  });
});

describe('concurrent uploads (group commit)', () => {
  it('answers each of several uploads in flight after storing it, the same run twice as 201 then 200, a bad one 422', async () => {
    const s = await serve();
    try {
      const runs = Array.from({ length: 6 }, (_, i) => historyRunAt(i, 6));
      const bad = { ...historyRunAt(6, 7), benchmarks: 'none' };
      const responses = await Promise.all(
        [...runs, runs[2], bad].map((r) => post(s.server.url, 'api/v1/runs', r, s.token)),
      );
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((_, i) => i < 6 && i !== 2)).toEqual([201, 201, 201, 201, 201]);
      // The two uploads of run 2 share its id: one stored it, the other found it stored.
      expect([statuses[2], statuses[6]].sort()).toEqual([200, 201]);
      expect(statuses[7]).toBe(422);
      expect(s.db.prepare('SELECT id FROM run ORDER BY id').pluck().all()).toEqual(runs.map((r) => r.id).sort());
      expect(s.server.groupCommit.runs).toBe(7);
      const series = (await (
        await fetch(new URL('api/v1/projects/1/testbeds/1/benchmarks/1/series', s.server.url))
      ).json()) as Series;
      expect(series.points.runId).toHaveLength(6);
    } finally {
      await s.server.close();
      s.db.close();
    }
  });
});

describe('limits and read tokens', () => {
  it('answers an oversized body with 413 and stores nothing', async () => {
    const s = await serve({ maxBodyBytes: 2000 });
    try {
      const res = await post(s.server.url, 'api/v1/runs', historyRunAt(0, 1), s.token);
      expect(res.status).toBe(413);
      expect((await res.json()).error).toMatch(/larger than the limit of 2000 bytes/);
      expect((s.db.prepare('SELECT count(*) AS n FROM run').get() as { n: number }).n).toBe(0);
    } finally {
      await s.server.close();
      s.db.close();
    }
  });

  it('needs the read token (or an API token) for reads when one is set, but not for the page', async () => {
    const s = await serve({ readToken: 'reader-secret-123' });
    try {
      const url = new URL('api/v1/projects', s.server.url);
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
      expect((await fetch(url, { headers: { Authorization: 'Bearer reader-secret-123' } })).status).toBe(200);
      expect((await fetch(url, { headers: { Authorization: `Bearer ${s.token}` } })).status).toBe(200);
      expect((await fetch(s.server.url)).status).toBe(200);
      // The read token does not allow writing.
      expect((await post(s.server.url, 'api/v1/runs', historyRunAt(0, 1), 'reader-secret-123')).status).toBe(401);
    } finally {
      await s.server.close();
      s.db.close();
    }
  });
});

describe('the store behind the service', () => {
  it('serves reads from a read-only connection, which sees only committed runs', async () => {
    const s = await serve();
    try {
      const run = historyRunAt(0, 1);
      s.db.exec('BEGIN');
      ingestRun(s.db, run, 'main');
      const during = await fetch(new URL(`api/v1/runs/${run.id}`, s.server.url));
      s.db.exec('ROLLBACK');
      expect(during.status).toBe(404);
      expect((await post(s.server.url, 'api/v1/runs', run, s.token)).status).toBe(201);
      expect((await fetch(new URL(`api/v1/runs/${run.id}`, s.server.url))).status).toBe(200);
    } finally {
      await s.server.close();
      s.db.close();
    }
  });

  it('answers 507 when the disk is full, stores nothing, and serves on', async () => {
    const s = await serve();
    try {
      s.db.pragma(`max_page_count = ${s.db.pragma('page_count', { simple: true }) as number}`);
      let stored = 0;
      let res = await post(s.server.url, 'api/v1/runs', historyRunAt(0, 60), s.token);
      while (res.status === 201 && stored < 20)
        res = await post(s.server.url, 'api/v1/runs', historyRunAt(++stored, 60), s.token);
      expect(res.status).toBe(507);
      expect((await res.json()).error).toMatch(/cannot use its history database \(SQLITE_FULL\)/);
      expect(s.db.prepare('SELECT count(*) FROM run').pluck().get()).toBe(stored);
      expect((await fetch(new URL('api/v1/projects', s.server.url))).status).toBe(200);
    } finally {
      await s.server.close();
      s.db.close();
    }
  });
});
