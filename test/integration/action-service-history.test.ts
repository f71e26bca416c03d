/**
 * History mode with `storage: service`, end to end: the action's entry (dist/src/action/main.js)
 * as a real child process against a real `benchgate serve` app over a real SQLite file. The
 * first push meets an empty service and has no history to judge by; once the service holds
 * earlier runs of this machine's testbed (20 much faster ones), the next push is judged against
 * them: a regression, and change points searched over them in the job summary.
 */
import type Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postRun } from '../../src/github/service.js';
import { SERVICE_HISTORY_RUNS } from '../../src/github/service-history.js';
import { runtimeProbe } from '../../src/measure/probe.js';
import { detectTestbed } from '../../src/measure/testbed.js';
import type { RunReport } from '../../src/model.js';
import { startServer, type RunningServer } from '../../src/server/app.js';
import { DEFAULT_CHANGE_POINTS } from '../../src/store/change-points.js';
import { openStore } from '../../src/store/open.js';
import { loadRun } from '../../src/store/runs.js';
import { createToken } from '../../src/store/tokens.js';
import { sampleRun } from '../fixtures/store/sample-run.js';
import { gitRepo, ROOT, tempDir } from '../helpers.js';

const ENTRY = join(ROOT, 'dist', 'src', 'action', 'main.js');
const BENCHMARK = 'spin/loop/small';

const SUITE = `
function spin(n) { let x = 0; for (let i = 0; i < n; i++) x += Math.sqrt(i); return x; }
export default {
  name: 'demo',
  cases: () => [
    { kernel: 'spin', implementation: 'loop', fixture: 'small', fixtureChecksum: 'c1', work: { flops: null, bytes: null }, setup: () => ({ run: () => spin(100000) }) },
  ],
};
`;

/** Runs the entry in history mode for a push to main; resolves with its exit code, log, outputs and summary. */
function pushToMain(
  workspace: string,
  inputs: Record<string, string>,
): Promise<{ code: number | null; output: string; outputs: string; summary: string }> {
  const runner = tempDir('benchgate-runner-');
  const files = { event: join(runner, 'event.json'), summary: join(runner, 'summary.md'), output: join(runner, 'out') };
  writeFileSync(files.event, JSON.stringify({ ref: 'refs/heads/main' }));
  writeFileSync(files.summary, '');
  writeFileSync(files.output, '');
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(GITHUB_|INPUT_|RUNNER_)/.test(k)));
  const env: NodeJS.ProcessEnv = {
    ...clean,
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: 'acme/widgets',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: files.event,
    GITHUB_SHA: 'a'.repeat(40),
    GITHUB_RUN_ID: '4242',
    GITHUB_API_URL: 'http://127.0.0.1:9',
    GITHUB_SERVER_URL: 'https://github.test',
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_OUTPUT: files.output,
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: runner,
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase().replace(/-/g, '_')}`, v])),
  };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [ENTRY], { cwd: workspace, env });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) =>
      resolve({
        code,
        output: output.replace(/%0A/g, '\n').replace(/%25/g, '%'),
        outputs: readFileSync(files.output, 'utf8'),
        summary: readFileSync(files.summary, 'utf8'),
      }),
    );
  });
}

/** An earlier history run of this testbed in which the benchmark took `seconds` per call. */
function earlierRun(i: number, testbed: RunReport['testbed'], seconds: number): RunReport {
  const run = sampleRun(
    `earlier-${i}`,
    [seconds, seconds * 1.002, seconds * 0.998, seconds * 1.001, seconds],
    BENCHMARK,
  );
  const at = new Date(Date.UTC(2026, 0, 1) + i * 3600_000).toISOString();
  return {
    ...run,
    project: 'widgets',
    startedAt: at,
    finishedAt: at,
    testbed,
    head: { ...run.head, sha: i.toString(16).padStart(40, '0'), message: `commit ${i}` },
    benchmarks: run.benchmarks.map((b) => ({ ...b, fixtureChecksum: 'c1' })),
  };
}

let serviceDb: Database.Database;
let service: RunningServer;
let token: string;
const work = tempDir('benchgate-action-');

beforeAll(async () => {
  const git = gitRepo(work);
  writeFileSync(join(work, 'suite.mjs'), SUITE);
  writeFileSync(join(work, 'package.json'), '{"name":"widgets"}');
  writeFileSync(
    join(work, 'benchgate.config.json'),
    JSON.stringify({ suite: 'suite.mjs', 'min-rounds': 5, 'max-rounds': 5, project: 'widgets' }),
  );
  git('add', '-A');
  git('commit', '-q', '-m', 'the suite');
  serviceDb = openStore(join(tempDir(), 'service.db'));
  token = createToken(serviceDb, 'ci').token;
  service = await startServer({
    db: serviceDb,
    host: '127.0.0.1',
    port: 0,
    branch: 'main',
    repositoryUrl: null,
    readToken: 'read-secret',
    allowedHosts: null,
    maxBodyBytes: 32 * 1024 * 1024,
    changePoints: DEFAULT_CHANGE_POINTS,
  });
});
afterAll(async () => {
  await service.close();
  serviceDb.close();
});

describe('action entry: history mode with storage: service', () => {
  it("judges the pushed commit against the service's history of this testbed", async () => {
    const inputs = { storage: 'service', 'service-url': service.url, 'service-token': token, 'time-budget': '0.5' };
    const url = service.url.replace(/\/$/, '');
    const newest = () => serviceDb.prepare('SELECT id FROM run ORDER BY rowid DESC LIMIT 1').get() as { id: string };

    // An empty service: nothing to judge by.
    const first = await pushToMain(work, inputs);
    expect(first.code, first.output).toBe(0);
    expect(first.output).toContain(`benchgate: ${url} holds no run of widgets yet; this run starts its history`);
    const alone = loadRun(serviceDb, newest().id) as RunReport;
    expect(alone.benchmarks[0]?.baselineMedianSeconds).toBeNull();
    expect(alone.benchmarks[0]?.verdict?.kind).not.toBe('regressed');

    // 20 earlier runs of this testbed, each 1,000 times faster than the suite really is.
    const testbed = detectTestbed(await runtimeProbe());
    const seconds = (alone.benchmarks[0]?.medianSeconds ?? 0) / 1000;
    for (let i = 0; i < 20; i++) expect(await postRun(service.url, token, earlierRun(i, testbed, seconds))).toBe(201);

    const second = await pushToMain(work, inputs);
    expect(second.code, second.output).toBe(1);
    expect(second.output).toContain(
      `benchgate: ${url} gave 21 recent history runs of widgets on testbed ${testbed.key} (21 new to the database)`,
    );
    expect(second.outputs).toMatch(/^verdict<<(\S+)\nregressed\n\1$/m);
    const judged = loadRun(serviceDb, newest().id) as RunReport;
    expect(judged.benchmarks[0]?.verdict?.kind).toBe('regressed');
    expect(judged.benchmarks[0]?.baselineMedianSeconds).toBeCloseTo(seconds, 12);
    expect(second.summary).toContain('### Change points in the newest 10 commits');
    expect(second.summary).toContain('(22 runs of the newest series)');
    expect(second.summary).toContain(
      `Searched over the service's newest ${SERVICE_HISTORY_RUNS} history runs; its dashboard shows the change points over the whole history.`,
    );
    // The runner consumes the ::add-mask:: line; no other line shows the token.
    expect(second.output.replace(/^::add-mask::.*$/m, '')).not.toContain(token);
  });
});
