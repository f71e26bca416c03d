/**
 * Reads the revision being measured from git: commit, branch, whether the tree is dirty, and the
 * commit's subject and date. Outside a git repository every field is null, not an error.
 */
import { execFileSync } from 'node:child_process';
import type { Revision } from '../model.js';

function git(cwd: string, args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** Describes the checkout at `cwd` (HEAD plus any uncommitted changes). */
export function currentRevision(cwd: string): Revision {
  const sha = git(cwd, ['rev-parse', 'HEAD']);
  if (sha === null) return { sha: null, ref: null, dirty: false, message: null, committedAt: null };
  const ref = git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD']);
  const status = git(cwd, ['status', '--porcelain', '--untracked-files=no']);
  const log = git(cwd, ['log', '-1', '--format=%cI%n%s', sha]);
  const [committedAt, message] = log === null ? [null, null] : [log.split('\n')[0] ?? null, log.split('\n').slice(1).join('\n') || null];
  return { sha, ref: ref === 'HEAD' ? null : ref, dirty: status !== null && status !== '', message, committedAt };
}
