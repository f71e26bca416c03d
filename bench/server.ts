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
import { fork } from 'node:child_process';
import type { Overview, ProjectSummary } from '../src/model.js';
import { DEFAULT_CHANGE_POINTS, recomputeStale } from '../src/store/change-points.js';
import { seededRandom } from '../src/random.js';
import { startServer } from '../src/server/app.js';
import { eDivisive } from '../src/stats/e-divisive.js';
import { openStore } from '../src/store/open.js';
import { createToken } from '../src/store/tokens.js';
import { chromiumMissing, launchChromium } from './chromium.js';
import type { LoadResult } from './server-load.js';
import { BENCHMARKS, COMMITS } from './server-history.js';

/** Requests in flight in the load client's concurrent chunks (BENCH_IN_FLIGHT, default 4); the other chunks send one at a time. */
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 4);

function ingestFromClient(url: string, token: string): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./server-load.js', import.meta.url), [url, token, String(IN_FLIGHT)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: LoadResult | null = null;
    child.on('message', (m) => (result = m as LoadResult));
    child.on('error', reject);
    child.on('exit', (code) =>
      result && code === 0 ? resolve(result) : reject(new Error(`the load client exited with ${code}`)),
    );
  });
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
  const server = await startServer({
    db,
    host: '127.0.0.1',
    port: 0,
    branch: 'main',
    repositoryUrl: null,
    readToken: null,
    allowedHosts: null,
    maxBodyBytes: 32 << 20,
    changePoints: DEFAULT_CHANGE_POINTS,
  });
  // The change-point recomputation below blocks the loop for seconds: keep idle sockets open
  // past it so the client's pooled connections are not closed under it.
  server.server.keepAliveTimeout = 600_000;
  const rows: [string, string, string, string][] = [];
  try {
    // The load client is another process (its own core, heap and event loop): timing it in this
    // process charged the server for the client's fetch, body writes and garbage collection.
    process.stderr.write(
      `ingesting ${COMMITS} runs × ${BENCHMARKS} benchmarks over HTTP from a client process, chunks of 50 runs alternately 1 and ${IN_FLIGHT} request(s) in flight…\n`,
    );
    const commitsBefore = { ...server.groupCommit };
    const load = await ingestFromClient(server.url, token);
    const runsPerCommit =
      (server.groupCommit.runs - commitsBefore.runs) / (server.groupCommit.commits - commitsBefore.commits);
    for (const mode of load.modes) {
      const rate = (mode.runs * BENCHMARKS) / (mode.ingestMs / 1000);
      rows.push([
        `ingestion (POST /api/v1/runs from another process, ${mode.inFlight} in flight, ${mode.runs} runs)`,
        `${rate.toFixed(0)} measurements/s`,
        '≥ 50,000/s',
        rate >= 50_000 ? 'ok' : 'MISSED',
      ]);
      rows.push([
        `  POST latency at ${mode.inFlight} in flight (${BENCHMARKS} benchmarks, ~${(load.bodyBytes / 1e3).toFixed(0)} KB), median`,
        `${mode.medianMs.toFixed(1)} ms (p95 ${mode.p95Ms.toFixed(1)})`,
        '(info)',
        '',
      ]);
    }
    rows.push(['  runs per group commit (all uploads)', runsPerCommit.toFixed(2), '(info)', '']);
    process.stderr.write(
      `  (building the JSON in the client took ${(load.jsonMs / 1000).toFixed(1)} s, not counted)\n`,
    );

    const t0 = performance.now();
    const recomputed = recomputeStale(db, DEFAULT_CHANGE_POINTS);
    const allCp = performance.now() - t0;
    rows.push([
      `change points of all ${recomputed} series after the upload (window ${DEFAULT_CHANGE_POINTS.window})`,
      `${(allCp / 1000).toFixed(1)} s (${(allCp / recomputed).toFixed(1)} ms/series)`,
      '(info)',
      '',
    ]);

    const shifted = Array.from(
      { length: 2000 },
      (_, i) => (i >= 1200 ? 1.15 : 1) * (1 + 0.02 * (seededRandom(i)() - 0.5)),
    );
    const noise = Array.from({ length: 2000 }, (_, i) => 1 + 0.02 * (seededRandom(99_000 + i)() - 0.5));
    const cpTimes = (xs: number[], window?: number): number[] =>
      Array.from({ length: 5 }, () => {
        const t = performance.now();
        eDivisive(xs, { ...DEFAULT_CHANGE_POINTS, window });
        return performance.now() - t;
      });
    const full = median(cpTimes(shifted, 2000));
    rows.push([
      'E-Divisive, 2,000-point series with a shift (whole series)',
      `${full.toFixed(1)} ms`,
      '< 100 ms',
      full < 100 ? 'ok' : 'MISSED',
    ]);
    rows.push([
      'E-Divisive, 2,000-point pure noise (whole series)',
      `${median(cpTimes(noise, 2000)).toFixed(1)} ms`,
      '(info)',
      '',
    ]);
    rows.push([
      `E-Divisive, 2,000 points, window ${DEFAULT_CHANGE_POINTS.window} (what ingestion runs)`,
      `${median(cpTimes(shifted, DEFAULT_CHANGE_POINTS.window)).toFixed(1)} ms`,
      '(info)',
      '',
    ]);

    const project = (
      (await (await fetch(new URL('api/v1/projects', server.url))).json()) as ProjectSummary[]
    )[0] as ProjectSummary;
    const tb = project.testbeds[0]?.id;
    const overviewUrl = new URL(`api/v1/projects/${project.id}/testbeds/${tb}/overview`, server.url).href;
    const overview = (await (await fetch(overviewUrl)).json()) as Overview;
    const random = seededRandom(5);
    const seriesTimes: number[] = [];
    for (let i = 0; i < 200; i++) {
      const b = overview.rows[Math.floor(random() * overview.rows.length)];
      seriesTimes.push(
        ...(await timed(
          new URL(`api/v1/projects/${project.id}/testbeds/${tb}/benchmarks/${b?.id}/series`, server.url).href,
          1,
        )),
      );
    }
    const sp = p95(seriesTimes);
    rows.push([
      `series endpoint (${COMMITS} points + change points), p95 of 200`,
      `${sp.toFixed(1)} ms (median ${median(seriesTimes).toFixed(1)})`,
      '< 20 ms',
      sp < 20 ? 'ok' : 'MISSED',
    ]);
    const ov = await timed(overviewUrl, 50);
    rows.push([
      `overview endpoint (${BENCHMARKS} benchmarks), p95 of 50`,
      `${p95(ov).toFixed(1)} ms (median ${median(ov).toFixed(1)})`,
      '(info)',
      '',
    ]);

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
        rows.push([
          'overview page: navigation to rows drawn in Chromium, median of 5',
          `${r.toFixed(0)} ms`,
          '< 1.5 s',
          r < 1500 ? 'ok' : 'MISSED',
        ]);
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
  process.stdout.write(
    `\nbench:server — ${BENCHMARKS} benchmarks × ${COMMITS} commits = ${BENCHMARKS * COMMITS} measurements (timings on this machine, under its current load)\n\n`,
  );
  for (const r of rows)
    process.stdout.write(`${r[0].padEnd(w[0] ?? 0)}  ${r[1].padEnd(w[1] ?? 0)}  ${r[2].padEnd(w[2] ?? 0)}  ${r[3]}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:server failed: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exitCode = 1;
});
