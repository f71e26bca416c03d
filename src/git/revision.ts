/**
 * Reads the revision being measured from git: commit, branch, whether the tree is dirty, and the
 * commit's subject and date. Outside a git repository every field is null, not an error.
 */
import type { Revision } from '../model.js';
import { git } from './git.js';

/** A commit's date and subject, as `log -1` prints them. */
function described(cwd: string, sha: string): { committedAt: string | null; message: string | null } {
  const log = git(cwd, ['log', '-1', '--format=%cI%n%s', sha]);
  const [committedAt, ...subject] = log === null ? [] : log.split('\n');
  return { committedAt: committedAt ?? null, message: subject.join('\n') || null };
}

/** Describes the checkout at `cwd` (HEAD plus any uncommitted changes). */
export function currentRevision(cwd: string): Revision {
  const sha = git(cwd, ['rev-parse', 'HEAD']);
  if (sha === null) return { sha: null, ref: null, dirty: false, message: null, committedAt: null };
  const ref = git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD']);
  const status = git(cwd, ['status', '--porcelain', '--untracked-files=no']);
  return { sha, ref: ref === 'HEAD' ? null : ref, dirty: status !== null && status !== '', ...described(cwd, sha) };
}

/** Describes a commit (not the working tree): never dirty. */
export function commitRevision(root: string, sha: string, ref: string): Revision {
  return { sha, ref, dirty: false, ...described(root, sha) };
}
