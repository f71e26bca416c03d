/**
 * Where one `POST /api/v1/runs` spends its time, stage by stage, on a generated history (the
 * bench:server generator): body to string, JSON.parse, validateRun, digest, token check, each
 * table's inserts, marking series stale, commit; then the same runs over real HTTP for the
 * total. A profiling aid, not part of bench:server: `node dist/bench/server-ingest-stages.js`
 * with BENCH_COMMITS (history size, default 2,000), BENCH_SAMPLES (runs timed, default 60).
 */
import { fork } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestRun } from '../src/server/ingest/ingest.js';
import { reportDigest } from '../src/server/ingest/run-digest.js';
import { DEFAULT_CHANGE_POINTS } from '../src/store/change-points.js';
import { startServer } from '../src/server/app.js';
import { openStore } from '../src/store/open.js';
import {
  benchmarkId,
  flushSeriesPoints,
  projectId,
  RowWriter,
  SERIES_BATCH_RUNS,
  testbedId,
} from '../src/store/runs.js';
import { markSeriesStale } from '../src/store/series.js';
import { createToken, verifyToken } from '../src/store/tokens.js';
import { validateRun } from '../src/validate/run.js';
import { BENCHMARKS, COMMITS, names, runAt } from './server-history.js';
import type { LoadResult } from './server-load.js';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 60);
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function serverPragmas(db: ReturnType<typeof openStore>): void {
  db.pragma('cache_size = -65536');
  db.pragma('wal_autocheckpoint = 16384');
}

/** The history database, generated once per size and kept under the temp folder. */
function history(): string {
  const dir = join(tmpdir(), 'benchgate-ingest-stages');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `history-${BENCHMARKS}x${COMMITS}-v${process.env.BENCH_SCHEMA_TAG ?? 'cur'}.db`);
  if (existsSync(path)) return path;
  const db = openStore(`${path}.tmp`);
  serverPragmas(db);
  const all = names();
  const t = performance.now();
  for (let i = 0; i < COMMITS; i++) {
    ingestRun(db, runAt(i, all), 'main');
    if ((i + 1) % 500 === 0)
      process.stderr.write(`  history: ${i + 1} runs (${((performance.now() - t) / 1000).toFixed(0)} s)\n`);
  }
  db.prepare('UPDATE change_point_series SET stale = 0').run();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  copyFileSync(`${path}.tmp`, path);
  rmSync(`${path}.tmp`, { force: true });
  rmSync(`${path}.tmp-wal`, { force: true });
  rmSync(`${path}.tmp-shm`, { force: true });
  return path;
}

async function main(): Promise<void> {
  const source = history();
  const work = join(tmpdir(), 'benchgate-ingest-stages', `work-${process.pid}.db`);
  copyFileSync(source, work);
  const db = openStore(work);
  serverPragmas(db);
  if (process.env.BENCH_SQL) db.exec(process.env.BENCH_SQL);
  const { token } = createToken(db, `stages-${process.pid}`);
  const all = names();
  const stages: Record<string, number[]> = {};
  const add = (k: string, v: number): void => void (stages[k] ??= []).push(v);
  let bytes = 0;
  for (let k = 0; k < SAMPLES; k++) {
    const body = Buffer.from(JSON.stringify(runAt(COMMITS + k, all)));
    bytes = body.length;
    const chunks: Buffer[] = [];
    for (let o = 0; o < body.length; o += 65_536) chunks.push(body.subarray(o, o + 65_536));
    let t = performance.now();
    const mark = (name: string): void => {
      const now = performance.now();
      add(name, now - t);
      t = now;
    };
    const text = Buffer.concat(chunks).toString('utf8');
    mark('body: concat + utf8');
    const parsed: unknown = JSON.parse(text);
    mark('JSON.parse');
    const report = validateRun(parsed);
    mark('validateRun');
    reportDigest(report);
    mark('reportDigest');
    verifyToken(db, token);
    mark('verifyToken (+ last_used UPDATE)');
    db.exec('BEGIN');
    db.prepare('SELECT 1 FROM run WHERE id = ?').get(report.id);
    const project = projectId(db, report.project);
    const r = report;
    const rev = (x: typeof r.head | null): unknown[] =>
      x === null ? [null, null, null, null, null] : [x.sha, x.ref, x.dirty ? 1 : 0, x.message, x.committedAt];
    db.prepare(
      `INSERT INTO run (id, project_id, testbed_id, kind, profile, started_at, finished_at, head_sha, head_ref, head_dirty, head_message, head_committed_at,
         base_sha, base_ref, base_dirty, base_message, base_committed_at, settings_json, summary_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      r.id,
      project,
      testbedId(db, r.testbed),
      r.kind,
      r.profile,
      r.startedAt,
      r.finishedAt,
      ...rev(r.head),
      ...rev(r.base),
      JSON.stringify(r.settings),
      JSON.stringify(r.summary),
    );
    const known = new Map<string, number>();
    for (const [id, name, checksum] of db
      .prepare('SELECT id, name, fixture_checksum FROM benchmark WHERE project_id = ?')
      .raw()
      .all(project) as [number, string, string][]) {
      known.set(`${checksum}\u0000${name}`, id);
    }
    const ids = r.benchmarks.map(
      (b) => known.get(`${b.fixtureChecksum}\u0000${b.name}`) ?? benchmarkId(db, project, b),
    );
    mark('save: run row + benchmark ids');
    const result = new RowWriter(
      db,
      'result (run_id, benchmark_id, state, reason, median_seconds, spread_pct, baseline_median_seconds, gflops, gbps)',
      9,
    );
    r.benchmarks.forEach((b, i) =>
      result.add(
        r.id,
        ids[i],
        b.state,
        b.reason,
        b.medianSeconds,
        b.spreadPct,
        b.baselineMedianSeconds,
        b.gflops,
        b.gbps,
      ),
    );
    result.flush();
    mark('save: result rows');
    const measurement = new RowWriter(
      db,
      'measurement (run_id, benchmark_id, round, side, state, reason, samples, median_seconds, mean_seconds, min_seconds, max_seconds, mad_seconds)',
      12,
    );
    r.benchmarks.forEach((b, i) => {
      for (const m of b.measurements)
        measurement.add(
          r.id,
          ids[i],
          m.round,
          m.side,
          m.state,
          m.reason,
          m.samples,
          m.medianSeconds,
          m.meanSeconds,
          m.minSeconds,
          m.maxSeconds,
          m.madSeconds,
        );
    });
    measurement.flush();
    mark('save: measurement rows');
    const verdict = new RowWriter(
      db,
      'verdict (run_id, benchmark_id, verdict, method, change_pct, ci_low_pct, ci_high_pct, p_value, threshold_pct, reason, details_json)',
      11,
    );
    r.benchmarks.forEach((b, i) => {
      const v = b.verdict;
      if (v !== null)
        verdict.add(
          r.id,
          ids[i],
          v.kind,
          v.method,
          v.changePct,
          v.ciLowPct,
          v.ciHighPct,
          v.pValue,
          v.thresholdPct,
          v.reason,
          JSON.stringify(v.details),
        );
    });
    verdict.flush();
    mark('save: verdict rows');
    db.prepare('INSERT INTO series_pending (run_id) VALUES (?)').run(r.id);
    if ((db.prepare('SELECT count(*) AS n FROM series_pending').get() as { n: number }).n >= SERIES_BATCH_RUNS) {
      mark('save: series_pending row');
      flushSeriesPoints(db);
      mark(`save: series_point batch (every ${SERIES_BATCH_RUNS} runs)`);
    } else mark('save: series_pending row');
    db.prepare('INSERT INTO run_digest (run_id, sha256) VALUES (?, ?)').run(r.id, 'x');
    mark('save: digest row');
    markSeriesStale(db, r.id, 'main');
    mark('markSeriesStale');
    db.exec('COMMIT');
    mark('COMMIT (WAL write, checkpoints)');
    JSON.stringify({ id: r.id, stored: true });
    mark('response JSON');
  }
  const order = Object.keys(stages);
  // A stage that runs every n-th run is charged per run (its mean over all runs).
  for (const k of order) while ((stages[k]?.length ?? 0) < SAMPLES) stages[k]?.push(0);
  const total = order.reduce((s, k) => s + median(stages[k] ?? []), 0);
  process.stdout.write(
    `ingest stages — ${BENCHMARKS} benchmarks per run (~${(bytes / 1e3).toFixed(0)} KB), history of ${COMMITS} runs, median of ${SAMPLES} runs each\n`,
  );
  for (const k of order) {
    const xs = stages[k] ?? [];
    process.stdout.write(`  ${k.padEnd(36)} ${median(xs).toFixed(2).padStart(7)} ms   (mean ${mean(xs).toFixed(2)})\n`);
  }
  process.stdout.write(
    `  ${'sum of medians (of means)'.padEnd(36)} ${total.toFixed(2).padStart(7)} ms   (${order.reduce((s, k) => s + mean(stages[k] ?? []), 0).toFixed(2)})\n`,
  );

  // The same kind of run through the real path, in process and over HTTP (one in flight).
  const direct: number[] = [];
  let cpu = 0;
  for (let k = 0; k < SAMPLES; k++) {
    const body = JSON.stringify(runAt(COMMITS + SAMPLES + k, all));
    const t = performance.now();
    const c = process.cpuUsage();
    ingestRun(db, validateRun(JSON.parse(body)), 'main');
    const used = process.cpuUsage(c);
    cpu += (used.user + used.system) / 1000;
    direct.push(performance.now() - t);
  }
  process.stdout.write(
    `  ${'parse + validate + ingestRun'.padEnd(36)} ${median(direct).toFixed(2).padStart(7)} ms   (mean ${mean(direct).toFixed(2)}, CPU ${(cpu / SAMPLES).toFixed(2)} ms/run)\n`,
  );
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
  const http: number[] = [];
  const bodies = Array.from({ length: SAMPLES }, (_, k) => JSON.stringify(runAt(COMMITS + 2 * SAMPLES + k, all)));
  for (const body of bodies) {
    const t = performance.now();
    const res = await fetch(new URL('api/v1/runs', server.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body,
    });
    await res.text();
    if (res.status !== 201) throw new Error(`POST: ${res.status}`);
    http.push(performance.now() - t);
  }
  process.stdout.write(
    `  ${'POST over HTTP (client in process)'.padEnd(36)} ${median(http).toFixed(2).padStart(7)} ms   (mean ${mean(http).toFixed(2)})\n`,
  );
  // From a client process, as bench:server does, alternating 1 and BENCH_IN_FLIGHT in flight.
  const first = COMMITS + 3 * SAMPLES;
  const clientRuns = process.env.BENCH_CLIENT_RUNS ?? '200';
  const load =
    clientRuns === '0'
      ? { modes: [] }
      : await new Promise<LoadResult>((resolve, reject) => {
          const child = fork(
            new URL('./server-load.js', import.meta.url),
            [server.url, token, process.env.BENCH_IN_FLIGHT ?? '4'],
            {
              stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
              env: { ...process.env, BENCH_FIRST: String(first), BENCH_COMMITS: clientRuns },
            },
          );
          let result: LoadResult | null = null;
          child.on('message', (m) => (result = m as LoadResult));
          child.on('error', reject);
          child.on('exit', (code) =>
            result && code === 0 ? resolve(result) : reject(new Error(`the load client exited with ${code}`)),
          );
        });
  for (const m of load.modes) {
    const label = `client process, ${m.inFlight} in flight`;
    process.stdout.write(
      `  ${label.padEnd(36)} ${((m.runs * BENCHMARKS) / (m.ingestMs / 1000)).toFixed(0).padStart(7)} measurements/s (${(m.ingestMs / m.runs).toFixed(2)} ms/run, POST median ${m.medianMs.toFixed(1)} ms, client CPU ${m.clientCpuMsPerRun.toFixed(1)} ms/run)\n`,
    );
  }
  if (load.modes.length > 0)
    process.stdout.write(
      `  runs per group commit: ${(server.groupCommit.runs / server.groupCommit.commits).toFixed(2)}\n`,
    );
  await server.close();
  db.close();
  for (const f of [work, `${work}-wal`, `${work}-shm`]) rmSync(f, { force: true });
}

main().catch((e: unknown) => {
  process.stderr.write(`server-ingest-stages failed: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exitCode = 1;
});
