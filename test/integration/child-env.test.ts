/**
 * Tokens stay out of the code benchgate runs: a build command and a suite that dump their
 * environment (the suite both where benchgate loads it to list its benchmarks and in the measuring
 * workers) see no INPUT_*, GITHUB_TOKEN or ACTIONS_* variable, through the CLI and the action.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, tempDir } from '../helpers.js';
import { startStandIn, type StandIn } from './github/stand-in.js';

/** Set for benchgate, each with a value that must not reach its children. */
const SECRETS: Record<string, string> = {
  INPUT_SERVICE_TOKEN: 'svc-secret-1',
  INPUT_SOMETHING_ELSE: 'input-secret-2',
  GITHUB_TOKEN: 'ghs_secret3',
  ACTIONS_RUNTIME_TOKEN: 'runtime-secret-4',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-secret-5',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc.example/secret-6',
  ACTIONS_CACHE_URL: 'https://cache.example/secret-7',
};
const SECRET_NAME = /^(INPUT_|ACTIONS_)|^GITHUB_TOKEN$/;

// The suite records its environment wherever it is loaded: benchgate's own process and workers.
const suite = `
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
writeFileSync(join(process.env.DUMP_DIR, 'suite-' + process.pid + '-' + Math.random().toString(36).slice(2) + '.json'),
  JSON.stringify(process.env));
export default {
  name: 'env',
  cases: () => [{ kernel: 'k', implementation: 'i', fixture: 'f', fixtureChecksum: 'c',
    work: { flops: null, bytes: null }, setup: () => ({ run: () => Math.sqrt(2) }) }],
};
`;
const build = `node -e 'require("fs").writeFileSync(process.env.DUMP_DIR + "/build-" + process.pid + ".json", JSON.stringify(process.env))'`;

const work = tempDir('benchgate-child-env-');
const repo = join(work, 'repo');
const sha: string[] = [];
let gh: StandIn;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

beforeAll(async () => {
  gh = await startStandIn();
  mkdirSync(repo);
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.email', 'test@example.com');
  git(repo, 'config', 'user.name', 'test');
  git(repo, 'config', 'commit.gpgsign', 'false');
  const config = { suite: 'suite.mjs', 'min-rounds': 2, 'max-rounds': 2, 'build-command': build };
  for (const n of [1, 2]) {
    writeFileSync(join(repo, 'suite.mjs'), `${suite}// revision ${n}\n`);
    writeFileSync(join(repo, 'benchgate.config.json'), JSON.stringify(config));
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', `revision ${n}`);
    sha.push(git(repo, 'rev-parse', 'HEAD'));
  }
});
afterAll(async () => gh?.close());

/** Every environment the build and the suite saw, by the file that recorded it. */
function dumps(dir: string): Map<string, Record<string, string>> {
  return new Map(
    readdirSync(dir).map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, string>]),
  );
}

function expectNoSecrets(dir: string): void {
  const seen = dumps(dir);
  const kinds = [...seen.keys()].map((f) => f.split('-')[0]);
  expect(kinds).toContain('build');
  expect(kinds).toContain('suite');
  // More suite dumps than the two in benchgate's own process: the workers loaded it too.
  expect(kinds.filter((k) => k === 'suite').length).toBeGreaterThan(2);
  for (const [file, env] of seen) {
    expect(
      Object.keys(env).filter((k) => SECRET_NAME.test(k)),
      file,
    ).toEqual([]);
    const values = Object.values(env).join('\n');
    for (const value of [...Object.values(SECRETS), 'ghs_standInToken123']) expect(values, file).not.toContain(value);
    expect(env.KEEP_ME, file).toBe('an ordinary variable'); // the rest of the environment is kept
  }
}

describe('the environment of the code benchgate runs', () => {
  it('benchgate compare: the build and the suite see no INPUT_*, GITHUB_TOKEN or ACTIONS_* variable', async () => {
    const dump = join(work, 'cli-dump');
    mkdirSync(dump);
    const r = await runCli(
      [
        'compare',
        '--base',
        sha[0] as string,
        '--head',
        sha[1] as string,
        '--time-budget',
        '1',
        '--db',
        join(work, 'cli.db'),
      ],
      {
        cwd: repo,
        env: {
          ...SECRETS,
          INPUT_GITHUB_TOKEN: 'ghs_standInToken123',
          DUMP_DIR: dump,
          KEEP_ME: 'an ordinary variable',
        },
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expectNoSecrets(dump);
  });

  it('the action in pr mode: the same, with its token inputs set', async () => {
    const dump = join(work, 'action-dump');
    mkdirSync(dump);
    const runner = tempDir('benchgate-runner-');
    const event = join(runner, 'event.json');
    writeFileSync(
      event,
      JSON.stringify({
        pull_request: {
          number: 3,
          head: { sha: sha[1], ref: 'feature', repo: { full_name: 'acme/widgets' } },
          base: { sha: sha[0], ref: 'main', repo: { full_name: 'acme/widgets' } },
        },
      }),
    );
    for (const f of ['summary.md', 'output.txt']) writeFileSync(join(runner, f), '');
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(GITHUB_|INPUT_|RUNNER_)/.test(k)));
    const env: NodeJS.ProcessEnv = {
      ...clean,
      ...SECRETS,
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: 'acme/widgets',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event,
      GITHUB_SHA: sha[1],
      GITHUB_RUN_ID: '1',
      GITHUB_API_URL: gh.url,
      GITHUB_SERVER_URL: 'https://github.test',
      GITHUB_STEP_SUMMARY: join(runner, 'summary.md'),
      GITHUB_OUTPUT: join(runner, 'output.txt'),
      GITHUB_WORKSPACE: repo,
      RUNNER_TEMP: runner,
      INPUT_GITHUB_TOKEN: gh.token,
      INPUT_MODE: 'pr',
      INPUT_TIME_BUDGET: '1',
      INPUT_COMMENT: 'never',
      INPUT_CHECK_RUN: 'false',
      INPUT_BUILD_COMMAND: `${build} # the action's`, // not the CLI test's cached build
      INPUT_DB_PATH: join(runner, 'pr.db'),
      DUMP_DIR: dump,
      KEEP_ME: 'an ordinary variable',
    };
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'action', 'main.js')], { cwd: repo, env });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.on('close', (code) => resolve({ code, output }));
    });
    expect(code, output).toBe(0);
    expectNoSecrets(dump);
  });
});
