/**
 * The cache of built worktrees on a real repository: a built commit is reused only while its tree
 * is still the commit as its build left it, so code planted in a cached worktree is not run; in
 * a GitHub Actions job the cache lives under RUNNER_TEMP, which the runner empties for every job.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareCommit, worktreeCache } from '../../src/git/worktree.js';
import { loadSuite } from '../../src/measure/suite.js';
import { tempDir } from '../helpers.js';

const suite = `export default { name: 'clean', cases: () => [] };\n`;

const work = tempDir('benchgate-worktrees-');
const repo = join(work, 'repo');
let sha = '';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

beforeAll(() => {
  mkdirSync(repo);
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.email', 'test@example.com');
  git(repo, 'config', 'user.name', 'test');
  git(repo, 'config', 'commit.gpgsign', 'false');
  writeFileSync(join(repo, 'suite.mjs'), suite);
  writeFileSync(join(repo, '.gitignore'), 'out/\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'one');
  sha = git(repo, 'rev-parse', 'HEAD');
});

/** Prepares `sha` with a build that writes an ignored output, without RUNNER_TEMP unless given. */
async function prepare(runnerTemp?: string) {
  const saved = process.env.RUNNER_TEMP;
  if (runnerTemp === undefined) delete process.env.RUNNER_TEMP;
  else process.env.RUNNER_TEMP = runnerTemp;
  try {
    const lines: string[] = [];
    const p = await prepareCommit(repo, sha, 'mkdir -p out && echo built > out/result', 'base', (l) => lines.push(l));
    return { ...p, lines };
  } finally {
    if (saved === undefined) delete process.env.RUNNER_TEMP;
    else process.env.RUNNER_TEMP = saved;
  }
}

describe('the cache of built worktrees', () => {
  it('reuses a built commit whose tree is untouched', async () => {
    const first = await prepare();
    expect(first.reused).toBe(false);
    expect(first.root.startsWith(join(repo, '.git', 'benchgate', 'worktrees'))).toBe(true);
    const second = await prepare();
    expect(second).toMatchObject({ root: first.root, reused: true });
  });

  it('does not run a suite planted in a cached worktree: the commit is checked out and built again', async () => {
    const { root } = await prepare();
    const ran = join(work, 'planted-code-ran');
    writeFileSync(
      join(root, 'suite.mjs'),
      `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(ran)}, 'yes');\n${suite}`,
    );
    const again = await prepare();
    expect(again.reused).toBe(false);
    expect(again.lines.join('\n')).toMatch(/does not match its commit/);
    expect(readFileSync(join(again.root, 'suite.mjs'), 'utf8')).toBe(suite);
    await loadSuite(join(again.root, 'suite.mjs'), 'after-planting');
    expect(existsSync(ran)).toBe(false);
  });

  it('does not reuse a worktree with a file added after its build', async () => {
    const { root } = await prepare();
    writeFileSync(join(root, 'extra.mjs'), 'process.exit(9);\n');
    const again = await prepare();
    expect(again.reused).toBe(false);
    expect(existsSync(join(again.root, 'extra.mjs'))).toBe(false);
    expect(readFileSync(join(again.root, 'out', 'result'), 'utf8')).toBe('built\n');
  });

  it('in a GitHub Actions job keeps the cache under RUNNER_TEMP, never in the repository', async () => {
    const runnerTemp = tempDir('benchgate-runner-temp-');
    expect(worktreeCache(repo, { RUNNER_TEMP: runnerTemp }).startsWith(join(runnerTemp, 'benchgate'))).toBe(true);
    expect(worktreeCache(repo, {})).toBe(join(repo, '.git', 'benchgate', 'worktrees'));
    const inJob = await prepare(runnerTemp);
    expect(inJob.root.startsWith(runnerTemp)).toBe(true);
    expect(inJob.reused).toBe(false); // the repository's own cache is not used in a job
  });
});
