/**
 * One contract for expected failures: a `UserError` is something the user caused and can fix (a
 * config key, a suite, a revision, a build, a store, a service, an untrusted file). Both doors, the
 * CLI and the action, print its message and exit 2; anything else is a bug: exit 3 with the stack.
 */

/** Exit codes of the CLI and the action. */
export const EXIT = { ok: 0, regression: 1, usage: 2, internal: 3 } as const;

/** A failure the user can fix; `key` names the setting at fault when there is one. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly key: string | null = null,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The exit code and the line to print for an error that reached a door. */
export function failureOf(e: unknown): { code: (typeof EXIT)['usage' | 'internal']; message: string } {
  if (e instanceof UserError) return { code: EXIT.usage, message: e.message };
  return { code: EXIT.internal, message: `internal error: ${(e as Error | undefined)?.stack ?? String(e)}` };
}
