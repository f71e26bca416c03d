/**
 * Prepares a revision to be measured: a git worktree per commit, cached by SHA under the
 * repository's git folder (never in the user's tree), built once with the project's build and
 * marked "built" so the next compare of the same commit reuses it. `node_modules` is shared with
 * the working tree only when both lockfiles are byte-identical.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { git } from './git.js';
import { RevisionError } from './refs.js';
import { UserError } from '../errors.js';

/** A revision's build failed: the message carries the command and the tail of its output (exit 2). */
export class BuildError extends UserError {}

/** The marker file written into a worktree once its build succeeded. */
export const BUILT_MARKER = '.benchgate-built';

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

/** Where worktrees are cached: `<git common dir>/benchgate/worktrees`. */
export function worktreeCache(repoRoot: string): string {
  const common = git(repoRoot, ['rev-parse', '--git-common-dir']);
  if (common === null) throw new RevisionError(`cannot find the git folder of ${repoRoot}`);
  return join(isAbsolute(common) ? common : resolve(repoRoot, common), 'benchgate', 'worktrees');
}

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
      env: { ...process.env, CI: process.env.CI ?? '1' },
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

/** Creates (or finds) the detached worktree of `sha`; a half-made one is made again. */
function checkout(repoRoot: string, sha: string): { path: string; fresh: boolean } {
  const cache = worktreeCache(repoRoot);
  const path = join(cache, sha);
  if (existsSync(join(path, '.git')) && git(path, ['rev-parse', 'HEAD']) === sha) return { path, fresh: false };
  if (existsSync(path)) rmSync(path, { recursive: true, force: true });
  mkdirSync(cache, { recursive: true });
  git(repoRoot, ['worktree', 'prune']);
  try {
    // execFileSync via git(): returns null on failure, so check the result explicitly.
    if (git(repoRoot, ['worktree', 'add', '--force', '--detach', path, sha]) === null)
      throw new Error('git worktree add failed');
  } catch (e) {
    throw new RevisionError(`cannot check out ${sha.slice(0, 10)} into ${path}: ${(e as Error).message}`);
  }
  return { path, fresh: true };
}

function markerFor(command: string | null): string {
  return JSON.stringify({
    build: command,
    node: process.version,
    hash: createHash('sha256').update(String(command)).digest('hex').slice(0, 16),
  });
}

/**
 * Checks out `sha` into its cached worktree and builds it, or reuses a worktree already built with
 * the same command on the same Node version. `what` names it in messages (`base abc1234`).
 */
export async function prepareCommit(
  repoRoot: string,
  sha: string,
  buildCommand: string | null,
  what: string,
  log: (line: string) => void,
): Promise<PreparedRevision> {
  const { path } = checkout(repoRoot, sha);
  const markerPath = join(path, BUILT_MARKER);
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
  linked ||= existsSync(nodeModules) && lstatSync(nodeModules).isSymbolicLink();
  const command = buildCommand ?? defaultBuild(path, linked);
  const marker = markerFor(command);
  if (existsSync(markerPath) && readFileSync(markerPath, 'utf8') === marker) {
    log(`reusing the built worktree of ${what} (${path})`);
    return { root: path, build: command, reused: true, linkedNodeModules: linked };
  }
  rmSync(markerPath, { force: true });
  if (command !== null) {
    log(`building ${what}: ${command} (in ${path})`);
    await runBuild(command, path, what);
  } else {
    log(`no build for ${what}: no package-lock.json and no 'build-command' configured`);
  }
  writeFileSync(markerPath, marker);
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
