/**
 * Turns the refs a user names (`--base main`, `--head v1.2.0`) into commits, with a message that
 * says what to do when a ref is unknown or a shallow clone lacks the commit.
 */
import { UserError } from '../errors.js';
import { git } from './git.js';

/** A revision that cannot be compared (unknown ref, missing commit, not a git repository): exit 2. */
export class RevisionError extends UserError {}

/** The top folder of the repository holding `cwd`, or a RevisionError outside git. */
export function repositoryRoot(cwd: string): string {
  const root = git(cwd, ['rev-parse', '--show-toplevel']);
  if (root === null)
    throw new RevisionError(`${cwd} is not inside a git repository: compare needs git to check out the base revision`);
  return root;
}

/** Resolves `ref` to a commit SHA; `role` ('base' or 'head') names it in errors. */
export function resolveCommit(root: string, ref: string, role: 'base' | 'head'): string {
  if (ref.startsWith('-')) throw new RevisionError(`'${role}' must be a git ref, not an option: '${ref}'`);
  const sha = git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (sha !== null && /^[0-9a-f]{40,64}$/.test(sha)) return sha;
  if (git(root, ['rev-parse', '--is-shallow-repository']) === 'true') {
    throw new RevisionError(
      `${role} revision '${ref}' is not in this shallow clone. Fetch the history first: ` +
        `git fetch --unshallow (or, for a branch: git fetch origin ${ref}); in GitHub Actions set fetch-depth: 0 on actions/checkout`,
    );
  }
  throw new RevisionError(
    `unknown ${role} revision '${ref}': no branch, tag or commit of that name in ${root} (try git fetch, or check the spelling)`,
  );
}
