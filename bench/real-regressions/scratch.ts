/**
 * The scratch repository the corpus is measured in: a clone of this repository at HEAD in a temp
 * folder (never this working tree), built there; each patch becomes one commit on top of that
 * base, and each commit is checked out and built exactly as `benchgate compare` would
 * (src/git/worktree.ts prepareCommit, same build command), so compare reuses those builds. The
 * build command gives a TypeScript-only patch the base's compiled addon (a copy), and rebuilds the
 * addon only where the patch changed native sources (an incremental `make` in the copied build
 * folder does not work: node-gyp's Makefile holds paths relative to where it was configured).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, symlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareCommit, runBuild } from '../../src/git/worktree.js';
import { applyPatch, type RegressionPatch } from './patches.js';

/** A built scratch repository. */
export interface Scratch {
  /** The clone; its own checkout is the base, built (it also runs `benchgate compare`). */
  root: string;
  baseSha: string;
  /** The build command given to prepareCommit and `compare --build-command`. */
  buildCommand: string;
}

const git = (cwd: string, args: string[]): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/**
 * The shell script every revision is built with: node_modules linked from this repository, the
 * base's native build copied in, rebuilt (npm run build:native) when native sources differ from
 * the base, then the TypeScript build.
 */
function buildScript(scratch: string, nodeModules: string, baseSha: string): string {
  return `#!/bin/sh
set -e
[ -e node_modules ] || ln -s ${nodeModules} node_modules
if [ "$(pwd -P)" != "$(cd ${scratch} && pwd -P)" ]; then
  rm -rf native/build
  cp -r ${scratch}/native/build native/build
  changed=$(git diff --name-only ${baseSha} HEAD -- native/src)
  if [ -n "$changed" ]; then
    npm run -s build:native
  fi
fi
npm run -s build:ts
`;
}

/**
 * Clones `repo` into a temp folder (or reuses `existing`, a clone made before) with `baseRef`
 * (default HEAD) checked out, and builds that base.
 */
export async function makeScratch(
  repo: string,
  existing: string | null,
  baseRef: string,
  log: (l: string) => void,
): Promise<Scratch> {
  const baseSha = git(repo, ['rev-parse', '--verify', `${baseRef}^{commit}`]);
  let root = existing;
  if (root === null || !existsSync(join(root, '.git'))) {
    root = root ?? mkdtempSync(join(tmpdir(), 'benchgate-real-regressions-'));
    log(`cloning ${repo} at ${baseSha.slice(0, 10)} into ${root}`);
    execFileSync('git', ['clone', '-q', repo, root], { stdio: 'ignore' });
    execFileSync('git', ['checkout', '-q', '--detach', baseSha], { cwd: root, stdio: 'ignore' });
    appendFileSync(join(root, '.git', 'info', 'exclude'), 'node_modules\n');
    symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'), 'dir');
  }
  if (git(root, ['rev-parse', 'HEAD']) !== baseSha)
    throw new Error(`scratch ${root} is not at ${baseRef} (${baseSha.slice(0, 10)}): use a fresh one or --base`);
  const script = join(root, '.git', 'benchgate-real-regressions-build.sh');
  writeFileSync(script, buildScript(root, join(repo, 'node_modules'), baseSha), { mode: 0o755 });
  if (
    !existsSync(join(root, 'native', 'build', 'Release', 'benchgate_native.node')) ||
    !existsSync(join(root, 'dist'))
  ) {
    log(`building the base in ${root} (npm run build:native && npm run build:ts)`);
    await runBuild('npm run -s build:native && npm run -s build:ts', root, 'the scratch base');
  }
  return { root, baseSha, buildCommand: `sh ${script}` };
}

/** The commit of `patch` on top of the base (made once; found again by its message). */
export function patchCommit(s: Scratch, patch: RegressionPatch): string {
  const message = `real-regression ${patch.id}`;
  const branch = `rr/${patch.id}`;
  const known = (() => {
    try {
      return git(s.root, ['rev-parse', '--verify', '-q', branch]);
    } catch {
      return null;
    }
  })();
  if (known !== null && git(s.root, ['rev-parse', `${known}~1`]) === s.baseSha) return known;
  // Apply in a throwaway worktree so the scratch's own checkout stays the built base.
  const tree = mkdtempSync(join(tmpdir(), 'benchgate-rr-patch-'));
  git(s.root, ['worktree', 'add', '-q', '--force', '--detach', tree, s.baseSha]);
  try {
    applyPatch(tree, patch);
    git(tree, [
      '-c',
      'user.name=real-regressions',
      '-c',
      'user.email=rr@localhost',
      'commit',
      '-q',
      '-m',
      message,
      '--',
      patch.file,
    ]);
    const sha = git(tree, ['rev-parse', 'HEAD']);
    git(s.root, ['branch', '-f', branch, sha]);
    return sha;
  } finally {
    git(s.root, ['worktree', 'remove', '--force', tree]);
  }
}

/** Checks out and builds `sha` where `compare` will look for it; returns the checkout's root. */
export async function builtRevision(s: Scratch, sha: string, what: string, log: (l: string) => void): Promise<string> {
  const prepared = await prepareCommit(s.root, sha, s.buildCommand, what, log);
  return prepared.root;
}
