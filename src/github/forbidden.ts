/**
 * A pull request from a fork gets a read-only token: writing a comment or a check run answers 403.
 * That is expected, not a failure of the gate: warn (saying how the fork-safe workflow posts it)
 * and carry on, so the gate's exit code still stands.
 */
import { RequestError } from 'octokit';

/** True for GitHub's "this token may not write here" answers. */
export function isForbidden(e: unknown): boolean {
  return e instanceof RequestError && e.status === 403;
}

/** Runs `write`; a 403 becomes a warning through `warn` and a null result, anything else throws. */
export async function unlessForbidden<T>(
  what: string,
  write: () => Promise<T>,
  warn: (message: string) => void,
): Promise<T | null> {
  try {
    return await write();
  } catch (e) {
    if (!isForbidden(e)) throw e;
    warn(
      `benchgate could not ${what}: the token is read-only (403; a pull request from a fork gets a read-only token). ` +
        `The gate's result stands; post the report from a workflow_run workflow (see the publish workflow in benchgate's docs/action.md).`,
    );
    return null;
  }
}
