/**
 * The action's entry (dist/src/action/main.js) as a real child process, the way action.yml runs
 * it: inputs through INPUT_* variables, a real GITHUB_EVENT_PATH payload, GITHUB_STEP_SUMMARY and
 * GITHUB_OUTPUT files, Octokit against the local GitHub stand-in, and the data branch on a local
 * bare repository reached through GITHUB_SERVER_URL=file://...
 */
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_SCHEMA, type BenchmarkResult, type RunReport } from '../../src/model.js';
import { summarise } from '../../src/report/summary.js';
import { rebuildHistory } from '../../src/github/rebuild-history.js';
import { openStore } from '../../src/store/open.js';
import { startServer } from '../../src/server/app.js';
import { DEFAULT_CHANGE_POINTS } from '../../src/store/change-points.js';
import { createToken } from '../../src/store/tokens.js';
import { loadRun } from '../../src/store/runs.js';
import { capturedRun, shardOf } from '../fixtures/report/shards.js';
import { sampleRun } from '../fixtures/store/sample-run.js';
import { ROOT, tempDir, TINY_SUITE } from '../helpers.js';
import { startStandIn, type StandIn } from './github/stand-in.js';

const ENTRY = join(ROOT, 'dist', 'src', 'action', 'main.js');

interface ActionResult {
  code: number | null;
  /** stdout and stderr, workflow-command escapes undone. */
  output: string;
  outputs: Record<string, string>;
  summary: string;
}

/** GitHub's GITHUB_OUTPUT format: name<<DELIM / value / DELIM. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^(.+?)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1] as string] = m[3] as string;
  return out;
}

/** Runs the entry with `inputs` (by input name) for `event`, in a fresh runner folder. */
function runAction(o: {
  inputs: Record<string, string>;
  eventName: string;
  event: unknown;
  workspace: string;
  apiUrl: string;
  serverUrl?: string;
  sha?: string;
}): Promise<ActionResult> {
  const runner = tempDir('benchgate-runner-');
  const files = {
    event: join(runner, 'event.json'),
    summary: join(runner, 'summary.md'),
    output: join(runner, 'output.txt'),
  };
  writeFileSync(files.event, JSON.stringify(o.event));
  writeFileSync(files.summary, '');
  writeFileSync(files.output, '');
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(GITHUB_|INPUT_|RUNNER_)/.test(k)));
  const env: NodeJS.ProcessEnv = {
    ...clean,
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: 'acme/widgets',
    GITHUB_EVENT_NAME: o.eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_SHA: o.sha ?? 'a'.repeat(40),
    GITHUB_RUN_ID: '4242',
    GITHUB_API_URL: o.apiUrl,
    GITHUB_SERVER_URL: o.serverUrl ?? 'https://github.test',
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_OUTPUT: files.output,
    GITHUB_WORKSPACE: o.workspace,
    RUNNER_TEMP: runner,
    ...Object.fromEntries(Object.entries(o.inputs).map(([k, v]) => [`INPUT_${k.toUpperCase().replace(/-/g, '_')}`, v])),
  };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [ENTRY], { cwd: o.workspace, env });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    // The runner reads workflow commands (::error::, ::add-mask::) with %25 %0D %0A escapes.
    const unescape = (t: string) => t.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
    child.on('close', (code) =>
      resolve({
        code,
        output: unescape(output),
        outputs: parseOutputs(readFileSync(files.output, 'utf8')),
        summary: readFileSync(files.summary, 'utf8'),
      }),
    );
  });
}

/** The log as the runner shows it: ::add-mask:: lines are consumed, the rest must not hold `secret`. */
function expectMasked(output: string, secret: string): void {
  expect(output).toContain(`::add-mask::${secret}`);
  expect(
    output
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n'),
  ).not.toContain(secret);
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

const suiteSource = (spinWork: number) => `
function spin(n) { let x = 0; for (let i = 0; i < n; i++) x += Math.sqrt(i); return x; }
export default {
  name: 'demo',
  cases: () => [
    { kernel: 'spin', implementation: 'loop', fixture: 'small', fixtureChecksum: 'c1', work: { flops: ${2 * spinWork}, bytes: null }, setup: () => ({ run: () => spin(${spinWork}) }) },
    { kernel: 'steady', implementation: 'loop', fixture: 'small', fixtureChecksum: 'c1', work: { flops: null, bytes: null }, setup: () => ({ run: () => spin(40000) }) },
  ],
};
`;

const TOKEN = 'ghs_standInToken123';
let gh: StandIn;
const work = tempDir('benchgate-action-');
const repo = join(work, 'repo');
const sha: Record<string, string> = {};

beforeAll(async () => {
  gh = await startStandIn('acme', 'widgets', TOKEN);
  mkdirSync(repo);
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.email', 'test@example.com');
  git(repo, 'config', 'user.name', 'test');
  git(repo, 'config', 'commit.gpgsign', 'false');
  const commit = (name: string, files: Record<string, string>) => {
    for (const [path, text] of Object.entries(files)) writeFileSync(join(repo, path), text);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', name);
    sha[name] = git(repo, 'rev-parse', 'HEAD');
  };
  // 8 rounds, one look: a 2× slowdown wins every round (p = 2⁻⁸ < 0.01 after Holm over two).
  const config = { suite: 'suite.mjs', 'min-rounds': 8, 'max-rounds': 8, project: 'widgets' };
  commit('base', {
    'suite.mjs': suiteSource(100_000),
    'benchgate.config.json': JSON.stringify(config),
    'package.json': '{"name":"widgets"}',
  });
  git(repo, 'checkout', '-q', '-b', 'feature');
  commit('slow', { 'suite.mjs': suiteSource(200_000) });
  git(repo, 'checkout', '-q', 'main');
  commit('main-moved', { README: 'main moved on\n' });
  git(repo, 'checkout', '-q', 'feature');
});
afterAll(async () => gh?.close());

const prEvent = () => ({
  pull_request: {
    number: 7,
    title: 'make it $(rm -rf /) `slower`',
    head: { sha: sha.slow, ref: 'feature', repo: { full_name: 'forker/widgets' } },
    base: { sha: sha['main-moved'], ref: 'main', repo: { full_name: 'acme/widgets' } },
  },
  repository: { full_name: 'acme/widgets' },
});
const prInputs = {
  'github-token': TOKEN,
  'time-budget': '1',
  threshold: '5%',
  'build-command': 'true',
  'db-path': join(work, 'pr.db'),
};

describe('action entry: input validation', () => {
  it.each([
    [{ threshold: 'abc' }, "'threshold' must be a percentage like 2% but got 'abc'"],
    [{ comment: 'sometimes' }, "'comment' must be one of always, on-change, never but got 'sometimes'"],
    [{ 'fail-on-regression': 'yes' }, "'fail-on-regression' must be true or false but got 'yes'"],
    [
      { storage: 'service', 'service-url': 'https://bench.example.com' },
      "'storage' is 'service', which needs both 'service-url' and 'service-token'",
    ],
    [{ 'service-url': 'ftp://x' }, "'service-url' must be an http(s) URL"],
    [{ 'data-branch': '--upload-pack=evil' }, "'data-branch' must be a branch name"],
    [
      { 'working-directory': 'no/such/folder' },
      "'working-directory' must be an existing folder but got 'no/such/folder'",
    ],
    [{ 'time-budget': '-1' }, "'time-budget' must be a number of seconds above 0"],
    [{ mode: 'pr' }, "'mode' is pr, which needs a pull_request event, but the event is 'push'"],
    [{ mode: 'auto' }, "'mode' is auto, but the event 'issues' is none of"],
    [{ shard: '2of4' }, "'shard' must be K/N, shard K of N with 1 ≤ K ≤ N ≤ 64, like 2/4 but got '2of4'"],
    [{ shard: '1/2', storage: 'file' }, "'shard' needs 'storage' branch or service in history mode"],
  ])('%j fails naming the input', async (inputs, message) => {
    const r = await runAction({
      inputs,
      eventName: 'mode' in inputs && inputs.mode === 'auto' ? 'issues' : 'push',
      event: {},
      workspace: repo,
      apiUrl: gh.url,
    });
    expect(r.output).toContain(`::error::benchgate: ${message}`);
    expect(r.code).toBe(2);
  });

  it('never repeats a malformed token', async () => {
    const r = await runAction({
      inputs: { 'service-token': 'has space secret-value' },
      eventName: 'push',
      event: {},
      workspace: repo,
      apiUrl: gh.url,
    });
    expect(r.code).toBe(2);
    expect(r.output).toContain("'service-token' must be a token without spaces (value not shown)");
    expectMasked(r.output, 'has space secret-value');
  });
});

describe('action entry: pull-request mode', () => {
  it('a shard measures its part, names its artifact, and leaves the comment and check to publish mode', async () => {
    const before = { comments: gh.comments.length, checks: gh.checkRuns.length };
    const reportPath = join(tempDir('benchgate-shard-'), 'benchgate-report.json');
    const r = await runAction({
      inputs: { ...prInputs, shard: '2/2', 'report-path': reportPath },
      eventName: 'pull_request',
      event: prEvent(),
      workspace: repo,
      apiUrl: gh.url,
    });
    expect([0, 1], r.output).toContain(r.code);
    expect(r.outputs['artifact-name']).toBe('benchgate-report-2-of-2');
    expect(r.output).toContain('shard 2/2 posts no comment or check run');
    expect({ comments: gh.comments.length, checks: gh.checkRuns.length }).toEqual(before);
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as RunReport;
    expect(report.settings.shard).toMatchObject({ k: 2, n: 2, total: 2 });
    expect(report.benchmarks).toHaveLength(1);
  });

  it('gates the PR: regression → exit 1, one comment created then edited, check failure, summary and outputs', async () => {
    const first = await runAction({
      inputs: prInputs,
      eventName: 'pull_request',
      event: prEvent(),
      workspace: repo,
      apiUrl: gh.url,
    });
    expect(first.code, first.output).toBe(1);
    expect(first.output).toContain(
      `comparing merge-base ${sha.base?.slice(0, 10)} with head ${sha.slow?.slice(0, 10)} of #7`,
    );
    expectMasked(first.output, TOKEN);
    expect(gh.comments).toHaveLength(1);
    const comment = gh.comments[0]!;
    expect(comment.issue).toBe(7);
    expect(comment.body).toMatch(/^<!-- benchgate:comment:default -->\n## 🔴 benchgate: 1 regression found/);
    expect(comment.body).toContain(`\`${sha.base?.slice(0, 7)}\` → \`${sha.slow?.slice(0, 7)}\``);
    expect(gh.checkRuns).toHaveLength(1);
    expect(gh.checkRuns[0]).toMatchObject({ name: 'benchgate', head_sha: sha.slow, conclusion: 'failure' });
    expect(first.summary).toContain('1 regression found');
    expect(first.outputs).toMatchObject({
      verdict: 'regressed',
      regressions: '1',
      'report-path': join(repo, 'benchgate-report.json'),
    });
    const report = JSON.parse(readFileSync(join(repo, 'benchgate-report.json'), 'utf8')) as RunReport;
    expect(report.kind).toBe('compare');
    expect(report.base?.sha).toBe(sha.base);

    const second = await runAction({
      inputs: prInputs,
      eventName: 'pull_request',
      event: prEvent(),
      workspace: repo,
      apiUrl: gh.url,
    });
    expect(second.code, second.output).toBe(1);
    expect(gh.comments).toHaveLength(1); // edited in place, never a second one
    expect(gh.comments[0]?.id).toBe(comment.id);
    expect(gh.requests.filter((q) => q.method === 'PATCH')).toHaveLength(1);
    expect(gh.checkRuns).toHaveLength(2);

    // A fork's read-only token: warnings, and the gate's exit code still stands.
    gh.readOnly = true;
    try {
      const fork = await runAction({
        inputs: prInputs,
        eventName: 'pull_request',
        event: prEvent(),
        workspace: repo,
        apiUrl: gh.url,
      });
      expect(fork.code, fork.output).toBe(1);
      expect(fork.output).toMatch(
        /::warning::benchgate could not post the pull-request comment: the token is read-only \(403/,
      );
      expect(fork.output).toMatch(/::warning::benchgate could not create the benchgate check run/);
      expect(fork.outputs.verdict).toBe('regressed');
      expect(fork.summary).toContain('1 regression found');
    } finally {
      gh.readOnly = false;
    }
    expect(gh.comments).toHaveLength(1);
    expect(gh.checkRuns).toHaveLength(2);

    // fail-on-regression: false → exit 0, outputs still say regressed.
    const lenient = await runAction({
      inputs: { ...prInputs, 'fail-on-regression': 'false', comment: 'never', 'check-run': 'false' },
      eventName: 'pull_request',
      event: prEvent(),
      workspace: repo,
      apiUrl: gh.url,
    });
    expect(lenient.code, lenient.output).toBe(0);
    expect(lenient.outputs.verdict).toBe('regressed');
  });
});

describe('action entry: the pull request cannot loosen its own gate', () => {
  it("gates with the merge-base's threshold, filter and rounds, and says the head changes them", async () => {
    git(repo, 'checkout', '-q', '-b', 'loosened', sha.slow as string);
    const loose = {
      suite: 'suite.mjs',
      'min-rounds': 2,
      'max-rounds': 2,
      project: 'widgets',
      threshold: '99%',
      filter: 'steady/*',
    };
    writeFileSync(join(repo, 'benchgate.config.json'), JSON.stringify(loose));
    git(repo, 'commit', '-q', '-am', 'loosen the gate');
    const head = git(repo, 'rev-parse', 'HEAD');
    try {
      const event = prEvent();
      event.pull_request.head.sha = head;
      const { threshold: _threshold, ...inputs } = prInputs;
      const r = await runAction({
        inputs: { ...inputs, comment: 'always' },
        eventName: 'pull_request',
        event,
        workspace: repo,
        apiUrl: gh.url,
      });
      expect(r.code, r.output).toBe(1);
      expect(r.output).toMatch(
        /::warning::benchgate: this pull request changes the gate's settings \(threshold, filter, min-rounds, max-rounds\)/,
      );
      const report = JSON.parse(readFileSync(join(repo, 'benchgate-report.json'), 'utf8')) as RunReport;
      expect(report.benchmarks.map((b) => b.name).sort()).toEqual(['spin/loop/small', 'steady/loop/small']);
      expect(report.settings).toMatchObject({ gateChanges: ['threshold', 'filter', 'min-rounds', 'max-rounds'] });
      expect(gh.comments.at(-1)?.body).toContain(
        "> ⚠️ This pull request changes the gate's settings (threshold, filter, min-rounds, max-rounds in benchgate.config.json)",
      );
      expect(r.summary).toContain("changes the gate's settings");
    } finally {
      git(repo, 'checkout', '-q', 'feature');
    }
  });
});

describe('action entry: a base that does not build', () => {
  it('exits 2 with the build failure, not 3 with an internal error', async () => {
    const r = await runAction({
      inputs: { ...prInputs, 'build-command': 'echo compiling; exit 7', comment: 'never', 'check-run': 'false' },
      eventName: 'pull_request',
      event: prEvent(),
      workspace: repo,
      apiUrl: gh.url,
    });
    expect(r.code, r.output).toBe(2);
    expect(r.output).toMatch(
      /::error::benchgate: building base .* with 'echo compiling; exit 7' failed \(exit code 7\)/,
    );
    expect(r.output).not.toContain('internal error');
  });
});

describe('action entry: publish mode (workflow_run, fork-safe)', () => {
  const headSha = 'e'.repeat(40);
  const runEvent = {
    workflow_run: {
      id: 99,
      event: 'pull_request',
      head_sha: headSha,
      head_branch: 'feature',
      head_repository: { owner: { login: 'forker' }, full_name: 'forker/widgets' },
      conclusion: 'failure',
    },
  };
  function artifact(report: unknown): string {
    const dir = tempDir('benchgate-artifact-');
    writeFileSync(join(dir, 'benchgate-report.json'), typeof report === 'string' ? report : JSON.stringify(report));
    return join(dir, 'benchgate-report.json');
  }
  const regressed = (): RunReport => {
    const r = sampleRun('pub-1', [1e-3, 1e-3]);
    const b = {
      ...r.benchmarks[0]!,
      name: 'evil/<img src=x onerror=alert(1)>/x',
      verdict: { ...r.benchmarks[0]!.verdict!, kind: 'regressed' as const, changePct: 12 },
    } as BenchmarkResult;
    // The artifact claims no regression in its summary: the summary is recounted, not believed.
    return {
      ...r,
      kind: 'compare',
      head: { ...r.head, sha: headSha },
      base: { ...r.head, sha: 'f'.repeat(40) },
      benchmarks: [b],
      summary: { ...summarise([b]), regressed: 0 },
    };
  };

  it('finds the PR from the event, validates the artifact, posts the comment and a failing check', async () => {
    gh.pulls.push({ number: 9, state: 'open', head: { sha: headSha, ref: 'feature', label: 'forker:feature' } });
    const before = { comments: gh.comments.length, checks: gh.checkRuns.length };
    const r = await runAction({
      inputs: { 'github-token': TOKEN, 'report-path': artifact(regressed()) },
      eventName: 'workflow_run',
      event: runEvent,
      workspace: repo,
      apiUrl: gh.url,
    });
    expect(r.code, r.output).toBe(0);
    expect(gh.comments).toHaveLength(before.comments + 1);
    const c = gh.comments.at(-1)!;
    expect(c.issue).toBe(9);
    expect(c.body).toContain('1 regression found');
    expect(c.body).toContain('&lt;img src=x onerror=alert\\(1\\)&gt;');
    expect(c.body).not.toContain('<img');
    expect(gh.checkRuns).toHaveLength(before.checks + 1);
    expect(gh.checkRuns.at(-1)).toMatchObject({ head_sha: headSha, conclusion: 'failure' });
    expect(gh.checkRuns.at(-1)?.output.summary).toContain('(https://github.test/acme/widgets/actions/runs/99)');
  });

  it('refuses a report for another commit, and a malformed one, naming the problem', async () => {
    const other = { ...regressed(), head: { ...regressed().head, sha: '1'.repeat(40) } };
    const forged = await runAction({
      inputs: { 'github-token': TOKEN, 'report-path': artifact(other) },
      eventName: 'workflow_run',
      event: runEvent,
      workspace: repo,
      apiUrl: gh.url,
    });
    expect(forged.code).toBe(2);
    expect(forged.output).toContain("is not the workflow run's head eeeeeeeeeeee: refusing to post it");
    const bad = { ...regressed(), benchmarks: [{ ...regressed().benchmarks[0], state: 'great' }] };
    const malformed = await runAction({
      inputs: { 'github-token': TOKEN, 'report-path': artifact(bad) },
      eventName: 'workflow_run',
      event: runEvent,
      workspace: repo,
      apiUrl: gh.url,
    });
    expect(malformed.code).toBe(2);
    expect(malformed.output).toContain(
      'report benchmarks[0].state must be one of completed, errored, skipped but got "great"',
    );
    const notJson = await runAction({
      inputs: { 'github-token': TOKEN, 'report-path': artifact('{"schema": ') },
      eventName: 'workflow_run',
      event: runEvent,
      workspace: repo,
      apiUrl: gh.url,
    });
    expect(notJson.code).toBe(2);
    expect(notJson.output).toContain('report is not JSON');
  });

  /** The folder actions/download-artifact makes for `pattern: benchgate-report*`: one subfolder per shard's artifact. */
  function shardArtifacts(shards: RunReport[]): string {
    const dir = tempDir('benchgate-artifacts-');
    for (const s of shards) {
      const { k, n } = s.settings.shard as { k: number; n: number };
      mkdirSync(join(dir, `benchgate-report-${k}-of-${n}`));
      writeFileSync(join(dir, `benchgate-report-${k}-of-${n}`, 'benchgate-report.json'), JSON.stringify(s));
    }
    return dir;
  }
  /** Four shards of a captured compare run of the workflow run's head; the shard holding spin/loop/small regressed. */
  const fourShards = (): RunReport[] => {
    const whole = capturedRun('compare-run-v1');
    return [1, 2, 3, 4].map((k) => {
      const s = shardOf({ ...whole, head: { ...whole.head, sha: headSha } }, k, 4);
      const benchmarks = s.benchmarks.map((b) =>
        b.name === 'spin/loop/small' && b.verdict
          ? { ...b, verdict: { ...b.verdict, kind: 'regressed' as const, changePct: 9 } }
          : b,
      );
      return { ...s, benchmarks };
    });
  };
  const prComments = () => gh.comments.filter((c) => c.issue === 9);

  it('merges four shard artifacts into one comment and one check run', async () => {
    if (!gh.pulls.some((p) => p.number === 9))
      gh.pulls.push({ number: 9, state: 'open', head: { sha: headSha, ref: 'feature', label: 'forker:feature' } });
    const checks = gh.checkRuns.length;
    const shards = fourShards();
    expect(shards.every((s) => s.benchmarks.length > 0)).toBe(true);
    const r = await runAction({
      inputs: { 'github-token': TOKEN, 'report-path': shardArtifacts(shards) },
      eventName: 'workflow_run',
      event: runEvent,
      workspace: repo,
      apiUrl: gh.url,
    });
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain('merging 4 shard reports');
    expect(prComments()).toHaveLength(1);
    const body = prComments()[0]!.body;
    expect(body).toContain('1 regression found');
    // Every shard's benchmarks are in the one comment, names escaped.
    expect(body).toContain('spin/loop/small');
    expect(body).toContain('extra/loop/new');
    expect(body).toContain('faults/skips/x');
    expect(body).toContain('&lt;b&gt;html&lt;/b&gt;');
    expect(gh.checkRuns).toHaveLength(checks + 1);
    expect(gh.checkRuns.at(-1)).toMatchObject({ head_sha: headSha, conclusion: 'failure' });
    expect(r.outputs.verdict).toBe('regressed');
  });

  it('a missing shard fails the check, naming it; the comment says nothing was decided', async () => {
    const checks = gh.checkRuns.length;
    const regressedShard = (s: RunReport) => s.benchmarks.some((b) => b.verdict?.kind === 'regressed');
    const lost = (fourShards().find(regressedShard)!.settings.shard as { k: number }).k;
    // Without the regressed shard the rest would pass: the gate must not.
    const shards = fourShards().filter((s) => !regressedShard(s));
    expect(shards).toHaveLength(3);
    const r = await runAction({
      inputs: { 'github-token': TOKEN, 'report-path': shardArtifacts(shards) },
      eventName: 'workflow_run',
      event: runEvent,
      workspace: repo,
      apiUrl: gh.url,
    });
    expect(r.code, r.output).toBe(0);
    expect(gh.checkRuns).toHaveLength(checks + 1);
    const check = gh.checkRuns.at(-1)!;
    expect(check).toMatchObject({ head_sha: headSha, conclusion: 'failure' });
    expect(check.output.title).toContain(`shard ${lost}/4 is missing`);
    expect(check.output.summary).toContain(`shard ${lost}/4 is missing`);
    expect(prComments()).toHaveLength(1);
    expect(prComments()[0]!.body).toMatch(new RegExp(`nothing was decided[\\s\\S]*shard ${lost}/4 is missing`));
    expect(r.summary).toContain(`shard ${lost}/4 is missing`);
    expect(r.output).toContain('::warning::benchgate: the shards do not make one run');
  });

  it('a shard given twice, or of another run, fails the check naming it; shards of another head are refused', async () => {
    const checks = gh.checkRuns.length;
    const shards = fourShards();
    const twice = shardArtifacts(shards);
    mkdirSync(join(twice, 'again'));
    writeFileSync(join(twice, 'again', 'benchgate-report.json'), JSON.stringify({ ...shards[2], id: 'again-3' }));
    const doubled = await runAction({
      inputs: { 'github-token': TOKEN, 'report-path': twice },
      eventName: 'workflow_run',
      event: runEvent,
      workspace: repo,
      apiUrl: gh.url,
    });
    expect(doubled.code, doubled.output).toBe(0);
    expect(gh.checkRuns).toHaveLength(checks + 1);
    expect(gh.checkRuns.at(-1)).toMatchObject({ conclusion: 'failure' });
    // The summary is Markdown, with `-` escaped.
    expect(gh.checkRuns.at(-1)!.output.summary.replace(/\\/g, '')).toContain(
      'shard 3/4 is given twice: again/benchgate-report.json and benchgate-report-3-of-4/benchgate-report.json',
    );
    // One shard of another commit among them: not one run.
    const mixed = fourShards();
    mixed[0] = { ...mixed[0]!, head: { ...mixed[0]!.head, sha: '1'.repeat(40) } };
    const foreign = await runAction({
      inputs: { 'github-token': TOKEN, 'report-path': shardArtifacts(mixed) },
      eventName: 'workflow_run',
      event: runEvent,
      workspace: repo,
      apiUrl: gh.url,
    });
    expect(foreign.code, foreign.output).toBe(0);
    expect(gh.checkRuns.at(-1)).toMatchObject({ conclusion: 'failure' });
    expect(gh.checkRuns.at(-1)!.output.summary).toContain('the head commit is');
    // All of another commit: not this run's to post at all.
    const other = fourShards().map((s) => ({ ...s, head: { ...s.head, sha: '1'.repeat(40) } }));
    const posted = gh.checkRuns.length;
    const refused = await runAction({
      inputs: { 'github-token': TOKEN, 'report-path': shardArtifacts(other) },
      eventName: 'workflow_run',
      event: runEvent,
      workspace: repo,
      apiUrl: gh.url,
    });
    expect(refused.code).toBe(2);
    expect(refused.output).toContain("is not the workflow run's head eeeeeeeeeeee: refusing to post it");
    expect(gh.checkRuns).toHaveLength(posted);
  });

  it('one unsharded report in the downloaded folder is posted as before', async () => {
    const checks = gh.checkRuns.length;
    const dir = tempDir('benchgate-artifacts-');
    mkdirSync(join(dir, 'benchgate-report'));
    writeFileSync(join(dir, 'benchgate-report', 'benchgate-report.json'), JSON.stringify(regressed()));
    const r = await runAction({
      inputs: { 'github-token': TOKEN, 'report-path': dir },
      eventName: 'workflow_run',
      event: runEvent,
      workspace: repo,
      apiUrl: gh.url,
    });
    expect(r.code, r.output).toBe(0);
    expect(r.output).not.toContain('merging');
    expect(gh.checkRuns).toHaveLength(checks + 1);
    expect(gh.checkRuns.at(-1)).toMatchObject({ head_sha: headSha, conclusion: 'failure' });
    expect(prComments()[0]!.body).toContain('&lt;img src=x onerror=alert\\(1\\)&gt;');
  });

  it("refuses a bad 'shard' input, naming it", async () => {
    const r = await runAction({
      inputs: { 'github-token': TOKEN, shard: '5/4', 'report-path': artifact(regressed()) },
      eventName: 'workflow_run',
      event: runEvent,
      workspace: repo,
      apiUrl: gh.url,
    });
    expect(r.code).toBe(2);
    expect(r.output).toMatch(/'shard' must be K\/N.*but got '5\/4'/);
  });
});

describe('action entry: history mode', () => {
  it('measures main, appends to the data branch (a bare repository), reports change points, twice', async () => {
    const server = tempDir('benchgate-server-');
    const remote = join(server, 'acme', 'widgets.git');
    mkdirSync(join(server, 'acme'));
    git(server, 'init', '-q', '--bare', remote);
    const main = join(work, 'main-checkout');
    git(work, 'clone', '-q', '--branch', 'main', repo, main);
    const inputs = {
      'github-token': TOKEN,
      'time-budget': '0.5',
      'working-directory': 'main-checkout',
      filter: 'spin/*',
    };
    for (const round of [1, 2]) {
      const r = await runAction({
        inputs,
        eventName: 'push',
        event: { ref: 'refs/heads/main', after: sha['main-moved'] },
        workspace: work,
        apiUrl: gh.url,
        serverUrl: `file://${server}`,
      });
      expect(r.code, r.output).toBe(0);
      // git's auth header (base64 of x-access-token:<token>) is masked too, should git ever print it.
      expectMasked(r.output, Buffer.from(`x-access-token:${TOKEN}`).toString('base64'));
      expect(r.output).toContain(
        round === 1 ? 'benchgate-data does not exist yet; this run starts it' : 'benchgate-data holds 1 runs',
      );
      expect(r.output).toMatch(
        /pushed runs\/[^/]+\/\d{8}T\d{6}Z_[0-9a-f-]{36}\.json\.gz to benchgate-data \(1 attempt\)/,
      );
      expect(r.summary).toContain('### Change points in the newest 10 commits');
      expect(r.summary).toContain('No shift found.');
      expect(r.outputs.verdict).toBe('unchanged');
    }
    const files = git(remote, 'ls-tree', '-r', '--name-only', 'benchgate-data').split('\n');
    expect(files.filter((f) => f.startsWith('runs/'))).toHaveLength(2);
  });

  it('shards push one run file each; the next rebuild joins them into one run', async () => {
    const server = tempDir('benchgate-server-');
    const remote = join(server, 'acme', 'widgets.git');
    mkdirSync(join(server, 'acme'));
    git(server, 'init', '-q', '--bare', remote);
    const outputs: ActionResult[] = [];
    for (const shard of ['1/2', '2/2']) {
      const r = await runAction({
        inputs: { 'github-token': TOKEN, 'time-budget': '0.5', 'working-directory': 'main-checkout', shard },
        eventName: 'push',
        event: { ref: 'refs/heads/main', after: sha['main-moved'] },
        workspace: work,
        apiUrl: gh.url,
        serverUrl: `file://${server}`,
      });
      expect(r.code, r.output).toBe(0);
      outputs.push(r);
    }
    expect(outputs.map((r) => r.outputs['artifact-name'])).toEqual([
      'benchgate-report-1-of-2',
      'benchgate-report-2-of-2',
    ]);
    // The second shard found the first's file alone: not a run yet, and said which shard it lacked.
    expect(outputs[1]!.output).toContain('shard 2/2 is missing');
    const data = join(tempDir('benchgate-data-'), 'data');
    git(server, 'clone', '-q', '--branch', 'benchgate-data', remote, data);
    const db = join(tempDir(), 'h.db');
    expect(rebuildHistory(data, db)).toEqual({ files: 2, added: 1, skipped: [] });
    const store = openStore(db);
    try {
      const [row] = store.prepare('SELECT id FROM run').all() as { id: string }[];
      const run = loadRun(store, row!.id) as RunReport;
      expect(run.benchmarks.map((b) => b.name).sort()).toEqual(['spin/loop/small', 'steady/loop/small']);
      expect(run.head.sha).toBe(sha['main-moved']);
    } finally {
      store.close();
    }
  });

  it('storage: service with shards: each job posts its shard, the service stores one run once all are in', async () => {
    const db = openStore(join(tempDir(), 'service.db'));
    const { token } = createToken(db, 'ci');
    const service = await startServer({
      db,
      host: '127.0.0.1',
      port: 0,
      branch: 'main',
      repositoryUrl: null,
      readToken: null,
      allowedHosts: null,
      maxBodyBytes: 32 * 1024 * 1024,
      changePoints: DEFAULT_CHANGE_POINTS,
    });
    try {
      const runs = () => db.prepare('SELECT id FROM run').all() as { id: string }[];
      for (const shard of ['2/2', '1/2']) {
        const r = await runAction({
          inputs: {
            storage: 'service',
            'service-url': service.url,
            'service-token': token,
            'time-budget': '0.5',
            'working-directory': 'main-checkout',
            shard,
          },
          eventName: 'push',
          event: { ref: 'refs/heads/main', after: sha['main-moved'] },
          workspace: work,
          apiUrl: gh.url,
        });
        expect(r.code, r.output).toBe(0);
        expect(r.output).toContain(shard === '2/2' ? '(HTTP 202)' : '(HTTP 201)');
        expectMasked(r.output, token);
        expect(runs()).toHaveLength(shard === '2/2' ? 0 : 1);
      }
      const run = loadRun(db, runs()[0]!.id) as RunReport;
      expect(run.benchmarks.map((b) => b.name).sort()).toEqual(['spin/loop/small', 'steady/loop/small']);
      expect(run.head.sha).toBe(sha['main-moved']);
      expect((run.settings.shards as { n: number }).n).toBe(2);
    } finally {
      await service.close();
      db.close();
    }
  });

  it('storage: service posts the run to benchgate serve with the bearer token', async () => {
    const received: { auth: string | undefined; report: RunReport }[] = [];
    const api = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        if (req.method === 'POST' && req.url === '/api/v1/runs') {
          received.push({ auth: req.headers.authorization, report: JSON.parse(body) as RunReport });
          res.writeHead(201).end('{}');
        } else if (req.method === 'GET' && req.url === '/api/v1/projects') {
          // The history is loaded first: a service with no project yet.
          res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
        } else res.writeHead(404).end();
      });
    });
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
      const inputs = {
        storage: 'service',
        'service-url': url,
        'service-token': 'svc-secret-token',
        'time-budget': '0.5',
        'working-directory': 'repo',
        filter: 'spin/*',
      };
      const r = await runAction({ inputs, eventName: 'push', event: {}, workspace: work, apiUrl: gh.url });
      expect(r.code, r.output).toBe(0);
      expect(received).toHaveLength(1);
      expect(received[0]?.auth).toBe('Bearer svc-secret-token');
      expect(received[0]?.report).toMatchObject({ schema: RUN_SCHEMA, kind: 'history', project: 'widgets' });
      expectMasked(r.output, 'svc-secret-token');
    } finally {
      api.close();
    }
  });
});

// Keep TINY_SUITE imported for future history cases with failures as data.
void TINY_SUITE;
