/**
 * `npm run bench:server`: the history service at scale. Generates 500 benchmarks × 2,000
 * main-branch commits (1M measurements) in a temporary SQLite file by POSTing every run to a
 * real server (the real ingestion path), then measures the p95 latency of the series and
 * overview endpoints over HTTP, E-Divisive on a 2,000-point series, and the overview page's time
 * to render in headless Chromium. Prints a table against the targets. Timings depend on the
 * machine and its load: they are figures, not a test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchmarkResult, Overview, ProjectSummary, RunReport } from '../src/model.js';
import { DEFAULT_CHANGE_POINTS, recomputeStale } from '../src/pipeline/change-points.js';
import { seededRandom } from '../src/random.js';
import { startServer } from '../src/server/app.js';
import { eDivisive } from '../src/stats/e-divisive.js';
import { openStore } from '../src/store/open.js';
import { createToken } from '../src/store/tokens.js';
import { chromiumMissing, launchChromium } from './chromium.js';

const BENCHMARKS = Number(process.env.BENCH_BENCHMARKS ?? 500);
const COMMITS = Number(process.env.BENCH_COMMITS ?? 2000);
const KERNELS = ['matmul', 'gridding', 'ode-ensemble', 'select', 'stencil', 'fft', 'sort', 'scan', 'histogram', 'spmv'];

function names(): string[] {
  return Array.from({ length: BENCHMARKS }, (_, i) => `${KERNELS[i % KERNELS.length]}/impl-${Math.floor(i / KERNELS.length) % 10}/n${Math.floor(i / (KERNELS.length * 10))}`);
}

function runAt(i: number, all: string[]): RunReport {
  const random = seededRandom(1000 + i);
  const t = Date.UTC(2025, 0, 1) + i * 3_600_000;
  const benchmarks: BenchmarkResult[] = all.map((name, k) => {
    const [kernel = '', implementation = '', fixture = ''] = name.split('/');
    // Every 7th benchmark slows down by 15% at commit 1,200: change points to find.
    const level = 1e-5 * (1 + (k % 37)) * (k % 7 === 0 && i >= 1200 ? 1.15 : 1);
    const m = level * (1 + 0.02 * (random() - 0.5));
    return {
      name, kernel, implementation, fixture, fixtureChecksum: 'feed', work: { flops: 1e6, bytes: 1e6 }, state: 'completed', reason: null,
      medianSeconds: m, spreadPct: 1, baselineMedianSeconds: level, gflops: 1e-3 / m, gbps: 1e-3 / m,
      measurements: [{ round: 1, side: 'head', state: 'completed', reason: null, samples: 50, medianSeconds: m, meanSeconds: m, minSeconds: m, maxSeconds: m, madSeconds: m / 100 }],
      verdict: { verdict: 'unchanged', method: 'history-robust-z', changePct: 0.1, ciLowPct: -1, ciHighPct: 1, pValue: null, thresholdPct: 3, reason: 'bench', details: {} },
    };
  });
  return {
    schema: 'benchgate.run/v1', id: `bench-${i}`, kind: 'history', project: 'bench', profile: 'quick',
    startedAt: new Date(t).toISOString(), finishedAt: new Date(t + 60_000).toISOString(),
    testbed: { key: 'bench-tb', cpuModel: 'bench CPU', cores: 2, simd: 'avx2', os: 'linux-x64', node: 'v20', gpu: null },
    head: { sha: (0x1000000 + i).toString(16).padStart(40, 'a'), ref: 'main', dirty: false, message: `commit ${i}`, committedAt: new Date(t).toISOString() },
    base: null, settings: {}, benchmarks,
    summary: { regressed: 0, improved: 0, unchanged: all.length, inconclusive: 0, errored: 0, skipped: 0 },
  };
}

const p95 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.ceil(0.95 * xs.length) - 1] ?? NaN;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function timed(url: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await fetch(typeof url === 'string' ? url : url);
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    out.push(performance.now() - t);
  }
  return out;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'benchgate-bench-server-'));
  const db = openStore(join(dir, 'history.db'));
  const { token } = createToken(db, 'bench');
  const server = await startServer({ db, host: '127.0.0.1', port: 0, branch: 'main', repositoryUrl: null, readToken: null, maxBodyBytes: 32 << 20, changePoints: DEFAULT_CHANGE_POINTS });
  // The change-point recomputation below blocks the loop for seconds: keep idle sockets open
  // past it so the client's pooled connections are not closed under it.
  server.server.keepAliveTimeout = 600_000;
  const rows: [string, string, string, string][] = [];
  try {
    const all = names();
    process.stderr.write(`ingesting ${COMMITS} runs × ${BENCHMARKS} benchmarks over HTTP…\n`);
    let ingestMs = 0;
    let jsonMs = 0;
    for (let i = 0; i < COMMITS; i++) {
      const j0 = performance.now();
      const body = JSON.stringify(runAt(i, all));
      jsonMs += performance.now() - j0;
      const t = performance.now();
      const res = await fetch(new URL('api/v1/runs', server.url), { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body });
      if (res.status !== 201) throw new Error(`POST run ${i}: ${res.status} ${await res.text()}`);
      ingestMs += performance.now() - t;
      if (i % 200 === 199) process.stderr.write(`  ${i + 1} runs, ${(((i + 1) * BENCHMARKS) / (ingestMs / 1000)).toFixed(0)} measurements/s\n`);
    }
    const rate = (COMMITS * BENCHMARKS) / (ingestMs / 1000);
    rows.push(['ingestion (POST /api/v1/runs, HTTP + validation + SQLite)', `${rate.toFixed(0)} measurements/s`, '≥ 50,000/s', rate >= 50_000 ? 'ok' : 'MISSED']);
    process.stderr.write(`  (building the JSON on the client took ${(jsonMs / 1000).toFixed(1)} s, not counted)\n`);

    const t0 = performance.now();
    const recomputed = recomputeStale(db, DEFAULT_CHANGE_POINTS);
    const allCp = performance.now() - t0;
    rows.push([`change points of all ${recomputed} series after the upload (window ${DEFAULT_CHANGE_POINTS.window})`, `${(allCp / 1000).toFixed(1)} s (${(allCp / recomputed).toFixed(1)} ms/series)`, '(info)', '']);

    const shifted = Array.from({ length: 2000 }, (_, i) => (i >= 1200 ? 1.15 : 1) * (1 + 0.02 * (seededRandom(i)() - 0.5)));
    const noise = Array.from({ length: 2000 }, (_, i) => 1 + 0.02 * (seededRandom(99_000 + i)() - 0.5));
    const cpTimes = (xs: number[], window?: number): number[] =>
      Array.from({ length: 5 }, () => {
        const t = performance.now();
        eDivisive(xs, { ...DEFAULT_CHANGE_POINTS, window });
        return performance.now() - t;
      });
    const full = median(cpTimes(shifted, 2000));
    rows.push(['E-Divisive, 2,000-point series with a shift (whole series)', `${full.toFixed(1)} ms`, '< 100 ms', full < 100 ? 'ok' : 'MISSED']);
    rows.push(['E-Divisive, 2,000-point pure noise (whole series)', `${median(cpTimes(noise, 2000)).toFixed(1)} ms`, '(info)', '']);
    rows.push([`E-Divisive, 2,000 points, window ${DEFAULT_CHANGE_POINTS.window} (what ingestion runs)`, `${median(cpTimes(shifted, DEFAULT_CHANGE_POINTS.window)).toFixed(1)} ms`, '(info)', '']);

    const project = ((await (await fetch(new URL('api/v1/projects', server.url))).json()) as ProjectSummary[])[0] as ProjectSummary;
    const tb = project.testbeds[0]?.id;
    const overviewUrl = new URL(`api/v1/projects/${project.id}/testbeds/${tb}/overview`, server.url).href;
    const overview = (await (await fetch(overviewUrl)).json()) as Overview;
    const random = seededRandom(5);
    const seriesTimes: number[] = [];
    for (let i = 0; i < 200; i++) {
      const b = overview.rows[Math.floor(random() * overview.rows.length)];
      seriesTimes.push(...(await timed(new URL(`api/v1/projects/${project.id}/testbeds/${tb}/benchmarks/${b?.id}/series`, server.url).href, 1)));
    }
    const sp = p95(seriesTimes);
    rows.push([`series endpoint (${COMMITS} points + change points), p95 of 200`, `${sp.toFixed(1)} ms (median ${median(seriesTimes).toFixed(1)})`, '< 20 ms', sp < 20 ? 'ok' : 'MISSED']);
    const ov = await timed(overviewUrl, 50);
    rows.push([`overview endpoint (${BENCHMARKS} benchmarks), p95 of 50`, `${p95(ov).toFixed(1)} ms (median ${median(ov).toFixed(1)})`, '(info)', '']);

    const missing = chromiumMissing();
    if (missing) {
      rows.push(['overview page rendered in Chromium', `not measured: ${missing}`, '< 1.5 s', 'MISSED']);
    } else {
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        const renders: number[] = [];
        for (let i = 0; i < 5; i++) {
          await page.goto('about:blank');
          const t = performance.now();
          await page.goto(`${server.url}#/p/${project.id}/t/${tb}`);
          await page.waitForSelector('.vrow.bench');
          renders.push(performance.now() - t);
        }
        const r = median(renders);
        rows.push(['overview page: navigation to rows drawn in Chromium, median of 5', `${r.toFixed(0)} ms`, '< 1.5 s', r < 1500 ? 'ok' : 'MISSED']);
      } finally {
        await browser.close();
      }
    }
  } finally {
    await server.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const w = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]?.length ?? 0)));
  process.stdout.write(`\nbench:server — ${BENCHMARKS} benchmarks × ${COMMITS} commits = ${BENCHMARKS * COMMITS} measurements (timings on this machine, under its current load)\n\n`);
  for (const r of rows) process.stdout.write(`${r[0].padEnd(w[0] ?? 0)}  ${r[1].padEnd(w[1] ?? 0)}  ${r[2].padEnd(w[2] ?? 0)}  ${r[3]}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:server failed: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exitCode = 1;
});
