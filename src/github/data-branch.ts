/**
 * The data branch (`benchgate-data` by default): history that outlives jobs without a server.
 * Each run is a new file (run-files.ts), so concurrent jobs never touch the same path; a rejected
 * push (another job pushed first) is retried on top of the new tip: fetch, reset to it, write
 * our run file again, commit, push. Nothing of the other job's is lost, and ours is not either.
 * Only the tip is fetched (depth 1), so a job's cost does not grow with the branch's history.
 */
import * as core from '@actions/core';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport } from '../model.js';
import { basicCredential, GitError, runGit } from '../git/git.js';
import { pruneRunFiles, writeRunFile } from './run-files.js';

/** Where the data branch lives and how it is kept. */
export interface DataBranch {
  /** Remote URL (https://github.com/owner/repo.git) or path (a bare repository in tests). */
  remote: string;
  branch: string;
  /** Token for an https remote; null for local paths or when git is already authenticated. */
  token: string | null;
  /** Local checkout folder (created if needed). */
  dir: string;
  /** Run files kept per testbed; older ones are deleted from the tree. */
  keepRuns: number;
}

/** What appending did. */
export interface AppendResult {
  path: string;
  /** Push attempts it took (1 = no one else pushed meanwhile). */
  attempts: number;
  pruned: string[];
}

const BRANCH_README = `# benchgate data branch

Written by the benchgate GitHub Action: one gzip-compressed JSON run report per run under
\`runs/<testbed>/<started>_<run id>.json.gz\`. Files are only ever added (and the oldest pruned per
testbed), so concurrent jobs never conflict. The SQLite history is rebuilt from these files.
Do not edit by hand; see "The data branch" in benchgate's docs/action.md.
`;

/**
 * Whether the remote has the branch. `git ls-remote --exit-code` exits 2 when the remote answered
 * and has no such ref; anything else (a repository not found, which is how GitHub answers a token
 * that may not see it, access denied, no network) is an error, never a missing branch.
 */
async function remoteHasBranch(d: DataBranch): Promise<boolean> {
  try {
    await runGit(['ls-remote', '--exit-code', '--heads', 'origin', `refs/heads/${d.branch}`], {
      cwd: d.dir,
      token: d.token,
    });
    return true;
  } catch (e) {
    if (!(e instanceof GitError)) throw e;
    if (e.exitCode === 2) return false;
    throw new GitError(
      `cannot read the branch ${d.branch} of ${d.remote} (the github-token needs contents: write on this repository): ${e.message}`,
      e.stderr,
      e.exitCode,
    );
  }
}

function authFailure(e: unknown): boolean {
  return (
    e instanceof GitError &&
    /Authentication failed|could not read Username|403|Permission .* denied|permission denied/i.test(e.stderr)
  );
}

/** Brings the checkout to the remote's tip; returns false when the branch does not exist yet (an empty orphan then). */
async function sync(d: DataBranch): Promise<boolean> {
  const opts = { cwd: d.dir, token: d.token };
  if (!(await remoteHasBranch(d))) {
    await runGit(['checkout', '--quiet', '--orphan', d.branch], opts).catch(() => undefined);
    await runGit(['rm', '-r', '-q', '--cached', '--ignore-unmatch', '.'], opts);
    return false;
  }
  await runGit(
    ['fetch', '--quiet', '--depth=1', '--no-tags', 'origin', `+refs/heads/${d.branch}:refs/remotes/origin/${d.branch}`],
    opts,
  );
  await runGit(['checkout', '--quiet', '-B', d.branch, `refs/remotes/origin/${d.branch}`], opts);
  await runGit(['reset', '--quiet', '--hard', `refs/remotes/origin/${d.branch}`], opts);
  await runGit(['clean', '-q', '-f', '-d'], opts);
  return true;
}

/** Masks the token's git credential in the job log before git gets it (the entry masks the token). */
function maskCredential(d: DataBranch): void {
  if (d.token) core.setSecret(basicCredential(d.token));
}

/** Fetches the branch into `dir` (creating the checkout); false when the branch does not exist yet. */
export async function checkoutDataBranch(d: DataBranch): Promise<boolean> {
  maskCredential(d);
  if (!existsSync(join(d.dir, '.git'))) {
    mkdirSync(d.dir, { recursive: true });
    await runGit(['init', '--quiet'], { cwd: d.dir });
    await runGit(['remote', 'add', 'origin', d.remote], { cwd: d.dir });
  }
  return sync(d);
}

/** Adds `report`'s run file, prunes, commits and pushes, retrying on rejection. */
export async function appendRun(
  d: DataBranch,
  report: RunReport,
  options: { attempts?: number; delayMs?: number } = {},
): Promise<AppendResult> {
  maskCredential(d);
  const attempts = options.attempts ?? 8;
  const opts = { cwd: d.dir, token: d.token };
  for (let attempt = 1; ; attempt++) {
    const path = writeRunFile(d.dir, report);
    if (!existsSync(join(d.dir, 'README.md'))) writeFileSync(join(d.dir, 'README.md'), BRANCH_README);
    const pruned = pruneRunFiles(d.dir, report.testbed.key, d.keepRuns);
    await runGit(['add', '-A', '--', 'runs', 'README.md'], opts);
    const sha = report.head.sha?.slice(0, 12) ?? 'working tree';
    await runGit(['commit', '--quiet', '--allow-empty', '-m', `benchgate: run ${report.id} (${sha})`], opts);
    try {
      await runGit(['push', '--quiet', '--porcelain', 'origin', `HEAD:refs/heads/${d.branch}`], opts);
      return { path, attempts: attempt, pruned };
    } catch (e) {
      if (authFailure(e) || attempt >= attempts) throw e;
    }
    // Someone pushed first: start again from their tip (our commit is dropped, then redone).
    const delay = (options.delayMs ?? 500) * 2 ** Math.min(attempt - 1, 4) * (0.5 + Math.random());
    await new Promise((r) => setTimeout(r, delay));
    await sync(d);
  }
}
