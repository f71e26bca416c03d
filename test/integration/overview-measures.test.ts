/**
 * The overview per measure over real HTTP, on a real SQLite file: `?measure=peak-memory` (and the
 * path form the static export writes) gives that measure's sparklines, latest figures and
 * verdicts, leaves out benchmarks without it, lists the measures there are; time is unchanged;
 * a bad measure is 400 naming it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import type { BenchmarkResult, MeasureOverview, Overview, ProjectSummary, RunReport } from '../../src/model.js';
import { startServer, type RunningServer } from '../../src/server/app.js';
import type { ServiceSettings } from '../../src/server/context.js';
import { exportStatic } from '../../src/server/export-static.js';
import { ingestRun } from '../../src/server/ingest/ingest.js';
import { DEFAULT_CHANGE_POINTS } from '../../src/store/change-points.js';
import { openStore } from '../../src/store/open.js';
import { tempDir } from '../helpers.js';
import { historyRunAt, NAMES, peakMemoryOf, SHIFTED, XSS_NAME } from '../fixtures/server/history.js';

const COMMITS = 45;
/** Has time only: its peak-memory figures are stripped from every run. */
const TIME_ONLY = 'gridding/scalar/small';
/** Errors in the newest run. */
const BROKEN = 'select/heap/n1e5';

const settings: ServiceSettings = {
  branch: 'main',
  repositoryUrl: null,
  readToken: null,
  allowedHosts: null,
  maxBodyBytes: 1 << 20,
  changePoints: DEFAULT_CHANGE_POINTS,
};

const withoutMeasures = (b: BenchmarkResult): BenchmarkResult => ({
  ...b,
  measures: [],
  measurements: b.measurements.map(({ values: _v, ...m }) => m),
});

function errored(b: BenchmarkResult): BenchmarkResult {
  return {
    ...withoutMeasures(b),
    state: 'errored',
    reason: 'boom',
    medianSeconds: null,
    spreadPct: null,
    gflops: null,
    gbps: null,
    verdict: null,
    measurements: b.measurements.map(({ values: _v, ...m }) => ({
      ...m,
      state: 'errored' as const,
      reason: 'boom',
      medianSeconds: null,
      meanSeconds: null,
      minSeconds: null,
      maxSeconds: null,
      madSeconds: null,
    })),
  };
}

function runAt(i: number): RunReport {
  const run = historyRunAt(i, COMMITS);
  run.benchmarks = run.benchmarks.map((b) =>
    b.name === TIME_ONLY ? withoutMeasures(b) : b.name === BROKEN && i === COMMITS - 1 ? errored(b) : b,
  );
  return run;
}

describe('the overview per measure over real HTTP', () => {
  let db: Database.Database;
  let server: RunningServer;
  let overview: string;
  const get = (path: string): Promise<Response> => fetch(new URL(`api/v1/${path}`, server.url));

  beforeAll(async () => {
    db = openStore(join(tempDir(), 'history.db'));
    for (let i = 0; i < COMMITS; i++) ingestRun(db, runAt(i), 'main');
    const timeOnly = historyRunAt(0, 1, ['plain/impl/fx']);
    timeOnly.benchmarks = timeOnly.benchmarks.map(withoutMeasures);
    ingestRun(db, { ...timeOnly, id: 'time-only-1', project: 'time-only' }, 'main');
    server = await startServer({ db, host: '127.0.0.1', port: 0, ...settings });
    const projects = (await (await get('projects')).json()) as ProjectSummary[];
    const p = projects.find((x) => x.name === 'demo')!;
    overview = `projects/${p.id}/testbeds/${p.testbeds[0]!.id}/overview`;
  });
  afterAll(async () => {
    await server?.close();
    db?.close();
  });

  it('keeps time the default, unchanged, and lists the measures there are', async () => {
    const text = await (await get(overview)).text();
    expect(await (await get(`${overview}?measure=time`)).text()).toBe(text);
    const time = JSON.parse(text) as Overview;
    expect(Object.keys(time)).toEqual(['project', 'testbed', 'branch', 'rows', 'measures']);
    expect(time.measures).toEqual(['time', 'peak-memory']);
    expect(time.rows.map((r) => r.name).sort()).toEqual([...NAMES].sort());
    const shifted = time.rows.find((r) => r.name === SHIFTED)!;
    expect(shifted.sparkline).toHaveLength(40);
    expect(shifted.latest?.runId).toBe(`run-000${COMMITS - 1}`);
    expect(shifted.latest?.medianSeconds).toBeGreaterThan(1e-4 * 1.25);
    expect(shifted.verdict?.kind).toBe('regressed');
    expect(shifted.verdict?.changePct).toBe(30.2);
    expect(shifted).toHaveProperty('changePoints');
  });

  it('gives peak memory: its sparklines, latest figures and verdicts, without the benchmarks lacking it', async () => {
    const res = await get(`${overview}?measure=peak-memory`);
    expect(res.status).toBe(200);
    const peak = (await res.json()) as MeasureOverview;
    expect(peak.measure).toBe('peak-memory');
    expect(peak.measures).toEqual(['time', 'peak-memory']);
    expect(peak.rows.map((r) => r.name).sort()).toEqual(NAMES.filter((n) => n !== TIME_ONLY).sort());
    for (const row of peak.rows) {
      const k = NAMES.indexOf(row.name);
      expect(row.sparkline, row.name).toHaveLength(40);
      expect(row).not.toHaveProperty('changePoints');
      expect(row).not.toHaveProperty('lastChangePct');
      expect(row.latest.runId).toBe(`run-000${COMMITS - 1}`);
      if (row.name === SHIFTED) {
        expect(row.sparkline.slice(0, 39)).toEqual(new Array(39).fill(peakMemoryOf(k)));
        expect(row.sparkline[39]).toBeCloseTo(peakMemoryOf(k) * 1.12);
        expect(row.latest.value).toBeCloseTo(peakMemoryOf(k) * 1.12);
        expect(row.latest.state).toBe('completed');
        expect(row.verdict?.kind).toBe('regressed');
        expect(row.verdict?.changePct).toBe(12);
        expect(row.verdict?.thresholdPct).toBe(5);
      } else if (row.name === BROKEN) {
        // Its newest run errored: a gap, no figure, no verdict; it still has figures before.
        expect(row.sparkline.slice(0, 39)).toEqual(new Array(39).fill(peakMemoryOf(k)));
        expect(row.sparkline[39]).toBeNull();
        expect(row.latest).toEqual({
          runId: `run-000${COMMITS - 1}`,
          sha: row.latest.sha,
          value: null,
          state: 'errored',
        });
        expect(row.verdict).toBeNull();
      } else {
        expect(row.sparkline).toEqual(new Array(40).fill(peakMemoryOf(k)));
        expect(row.latest.value).toBe(peakMemoryOf(k));
        expect(row.verdict?.kind, row.name).toBe('unchanged');
        expect(row.verdict?.thresholdPct).toBe(5);
      }
    }
    expect(peak.rows.find((r) => r.name === XSS_NAME)?.kernel).toBe('select');
    // The path form is what the static export writes and the dashboard asks for.
    expect(await (await get(`${overview}/peak-memory.json`)).json()).toEqual(peak);
  });

  it('answers a measure nothing has with no rows, and a bad measure with 400 naming it', async () => {
    const allocated = (await (await get(`${overview}?measure=allocated`)).json()) as MeasureOverview;
    expect(allocated.measure).toBe('allocated');
    expect(allocated.rows).toEqual([]);
    expect(allocated.measures).toEqual(['time', 'peak-memory']);
    for (const bad of [`${overview}?measure=cpu-time`, `${overview}/cpu-time`, `${overview}?measure=`]) {
      const refused = await get(bad);
      expect(refused.status, bad).toBe(400);
      const { error } = (await refused.json()) as { error: string };
      expect(error).toMatch(/^measure must be one of time, peak-memory, allocated, /);
      expect(error).toContain(bad.endsWith('=') ? 'but got ""' : 'but got "cpu-time"');
    }
  });

  it('reads a time-only project exactly as before measures: no `measures` key', async () => {
    const projects = (await (await get('projects')).json()) as ProjectSummary[];
    const p = projects.find((x) => x.name === 'time-only')!;
    const path = `projects/${p.id}/testbeds/${p.testbeds[0]!.id}/overview`;
    const time = (await (await get(path)).json()) as Overview;
    expect(Object.keys(time)).toEqual(['project', 'testbed', 'branch', 'rows']);
    expect(time.rows.map((r) => r.name)).toEqual(['plain/impl/fx']);
    const peak = (await (await get(`${path}?measure=peak-memory`)).json()) as MeasureOverview;
    expect(peak.rows).toEqual([]);
    expect(peak.measures).toEqual(['time']);
  });

  it('is written by the static export for each measure the overview lists', async () => {
    const out = join(tempDir(), 'site');
    exportStatic(db, settings, out);
    const file = (path: string): unknown => JSON.parse(readFileSync(join(out, 'api', 'v1', `${path}.json`), 'utf8'));
    expect(file(overview)).toEqual(await (await get(overview)).json());
    expect(file(`${overview}/peak-memory`)).toEqual(await (await get(`${overview}?measure=peak-memory`)).json());
  });
});
