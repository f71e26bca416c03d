/**
 * Prepares a revision to be measured: a git worktree per commit, cached by SHA under the
 * repository's git folder (never in the user's tree; in a GitHub Actions job under RUNNER_TEMP,
 * which the runner empties for every job), built once with the project's build and reused while
 * it is still the commit as that build left it. `node_modules` is shared with the working tree
 * only when both lockfiles are byte-identical.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { git } from './git.js';
import { RevisionError } from './refs.js';
import { childEnv } from '../child-env.js';
import { UserError } from '../errors.js';

/** A revision's build failed: the message carries the command and the tail of its output (exit 2). */
export class BuildError extends UserError {}

/** How a revision was prepared, for the report's settings. */
export interface PreparedRevision {
  /** Root of the checkout that is measured. */
  root: string;
  /** The build command that ran (null: none), and whether a cached build was reused. */
  build: string | null;
  reused: boolean;
  /** Whether node_modules was linked from the working tree (identical lockfile). */
  linkedNodeModules: boolean;
}

/**
 * Where worktrees are cached: `<git common dir>/benchgate/worktrees`, or in a GitHub Actions job
 * (RUNNER_TEMP set) a folder of RUNNER_TEMP per repository: on a persistent runner the repository's
 * `.git` outlives the job (actions/checkout does not clean it), so a build made by one job (a pull
 * request's) must not be there for the next (main's, with a write token) to reuse.
 */
export function worktreeCache(repoRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  const common = git(repoRoot, ['rev-parse', '--git-common-dir']);
  if (common === null) throw new RevisionError(`cannot find the git folder of ${repoRoot}`);
  const gitDir = isAbsolute(common) ? common : resolve(repoRoot, common);
  if (env.RUNNER_TEMP) {
    const repository = createHash('sha256').update(gitDir).digest('hex').slice(0, 12);
    return join(env.RUNNER_TEMP, 'benchgate', 'worktrees', repository);
  }
  return join(gitDir, 'benchgate', 'worktrees');
}

/** Whether the worktree's node_modules is the working tree's, linked. */
const linkedNodeModules = (path: string): boolean => {
  const nodeModules = join(path, 'node_modules');
  return existsSync(nodeModules) && lstatSync(nodeModules).isSymbolicLink();
};

const sameFile = (a: string, b: string): boolean =>
  existsSync(a) && existsSync(b) && readFileSync(a).equals(readFileSync(b));

/**
 * The default build when no `build-command` is configured: with a package-lock.json, `npm ci`
 * (whose `prepare` script builds), or only `npm run build --if-present` when node_modules can be
 * reused; without a lockfile, nothing (configure `build-command`).
 */
export function defaultBuild(root: string, nodeModulesReady: boolean): string | null {
  if (!existsSync(join(root, 'package-lock.json'))) return null;
  return nodeModulesReady ? 'npm run build --if-present' : 'npm ci';
}

/** Runs `command` through the shell in `cwd`; rejects with a BuildError holding the output's tail. */
export function runBuild(command: string, cwd: string, what: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, {
      cwd,
      shell: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...childEnv(), CI: process.env.CI ?? '1' },
    });
    let tail = '';
    const keep = (d: Buffer) => {
      tail = (tail + d.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (e) =>
      reject(new BuildError(`building ${what} with '${command}' could not start: ${e.message}`)),
    );
    child.on('close', (code, signal) => {
      if (code === 0) return resolvePromise();
      const lines = tail.trimEnd().split('\n').slice(-25).join('\n');
      reject(
        new BuildError(
          `building ${what} with '${command}' failed (${signal ?? `exit code ${code}`}) in ${cwd}; last lines of its output:\n${lines}`,
        ),
      );
    });
  });
}

/** Checks out `sha` afresh into `path` as a detached worktree, replacing whatever was there. */
function checkout(repoRoot: string, sha: string, path: string): void {
  rmSync(builtMarkerOf(path), { force: true });
  if (existsSync(path)) rmSync(path, { recursive: true, force: true });
  mkdirSync(dirname(path), { recursive: true });
  git(repoRoot, ['worktree', 'prune']);
  try {
    // execFileSync via git(): returns null on failure, so check the result explicitly.
    if (git(repoRoot, ['worktree', 'add', '--force', '--detach', path, sha]) === null)
      throw new Error('git worktree add failed');
  } catch (e) {
    throw new RevisionError(`cannot check out ${sha.slice(0, 10)} into ${path}: ${(e as Error).message}`);
  }
}

/** The record of a finished build, kept beside the worktree (outside it, so git status does not see it). */
interface BuiltMarker {
  build: string | null;
  /** sha256 of the build command, so that a changed command is never mistaken for the same. */
  hash: string;
  node: string;
  /** `git status --porcelain --untracked-files=all` right after the build: the tree as it left it. */
  status: string;
}

const builtMarkerOf = (path: string): string => `${path}.built.json`;

/** `git status` of a worktree: tracked files changed and untracked files that are not ignored. */
const treeStatus = (path: string): string | null => git(path, ['status', '--porcelain', '--untracked-files=all']);

function markerFor(command: string | null, status: string): BuiltMarker {
  const hash = createHash('sha256').update(String(command)).digest('hex');
  return { build: command, hash, node: process.version, status };
}

function readMarker(path: string): BuiltMarker | null {
  try {
    return JSON.parse(readFileSync(builtMarkerOf(path), 'utf8')) as BuiltMarker;
  } catch {
    return null;
  }
}

/**
 * Why the cached worktree at `path` cannot be reused for `sha` built with `command`, or null when
 * it can: it must be at `sha`, built with the same command on the same Node version, and git must
 * see it exactly as right after that build (no tracked file changed, no file added or removed).
 * Files that git ignores (build outputs, node_modules) cannot be checked this way; that is why a
 * GitHub Actions job never reuses another job's cache (worktreeCache).
 */
function unusableBecause(path: string, sha: string, command: string | null, marker: BuiltMarker): string | null {
  const expected = markerFor(command, marker.status);
  if (marker.hash !== expected.hash || marker.node !== expected.node)
    return 'it was built with another build command or Node version';
  if (git(path, ['rev-parse', 'HEAD']) !== sha) return `it does not match its commit (HEAD is not ${sha.slice(0, 10)})`;
  if (treeStatus(path) !== marker.status) return 'it does not match its commit (files changed since its build)';
  return null;
}

/**
 * Checks out `sha` into its cached worktree and builds it, or reuses a worktree already built with
 * the same command on the same Node version and untouched since. `what` names it in messages
 * (`base abc1234`).
 */
export async function prepareCommit(
  repoRoot: string,
  sha: string,
  buildCommand: string | null,
  what: string,
  log: (line: string) => void,
): Promise<PreparedRevision> {
  const path = join(worktreeCache(repoRoot), sha);
  const marker = existsSync(join(path, '.git')) ? readMarker(path) : null;
  if (marker !== null) {
    const existing = linkedNodeModules(path);
    const command = buildCommand ?? defaultBuild(path, existing);
    const why = unusableBecause(path, sha, command, marker);
    if (why === null) {
      log(`reusing the built worktree of ${what} (${path})`);
      return { root: path, build: command, reused: true, linkedNodeModules: existing };
    }
    log(`not reusing the worktree of ${what}: ${why}; checking it out again`);
  }
  checkout(repoRoot, sha, path);
  let linked = false;
  const nodeModules = join(path, 'node_modules');
  if (
    buildCommand === null &&
    !existsSync(nodeModules) &&
    existsSync(join(repoRoot, 'node_modules')) &&
    sameFile(join(path, 'package-lock.json'), join(repoRoot, 'package-lock.json'))
  ) {
    symlinkSync(join(repoRoot, 'node_modules'), nodeModules, 'dir');
    linked = true;
  }
  const command = buildCommand ?? defaultBuild(path, linked);
  if (command !== null) {
    log(`building ${what}: ${command} (in ${path})`);
    await runBuild(command, path, what);
  } else {
    log(`no build for ${what}: no package-lock.json and no 'build-command' configured`);
  }
  const status = treeStatus(path);
  if (status !== null) writeFileSync(builtMarkerOf(path), JSON.stringify(markerFor(command, status)));
  return { root: path, build: command, reused: false, linkedNodeModules: linked };
}

/**
 * Builds the working tree itself (head when `--head` is absent): the configured command, else
 * `npm run build --if-present` when node_modules exists, else `npm ci`.
 */
export async function prepareWorkingTree(
  repoRoot: string,
  buildCommand: string | null,
  log: (line: string) => void,
): Promise<PreparedRevision> {
  const command = buildCommand ?? defaultBuild(repoRoot, existsSync(join(repoRoot, 'node_modules')));
  if (command !== null) {
    log(`building head (working tree): ${command}`);
    await runBuild(command, repoRoot, 'head (working tree)');
  }
  return { root: repoRoot, build: command, reused: false, linkedNodeModules: false };
}
