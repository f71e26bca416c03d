/**
 * The environment of the code benchgate runs (build commands, npm ci, git, measuring workers) and
 * of the suites it loads: without the credentials a GitHub Actions job holds, so that no install
 * script, build step or benchmark of a pull request can read the job's tokens from its environment.
 */

/**
 * Variables that carry a job's credentials: every action input (`INPUT_*`, the github-token and
 * service-token among them), the `GITHUB_TOKEN` a workflow may export, and the runner's own
 * `ACTIONS_*` (runtime, cache, results and OIDC token request).
 */
export function isCredentialVariable(name: string): boolean {
  const upper = name.toUpperCase();
  return upper.startsWith('INPUT_') || upper.startsWith('ACTIONS_') || upper === 'GITHUB_TOKEN';
}

/** A copy of `env` without the credential variables nor `serve`'s read token, for a child process. */
export function childEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(([name]) => !isCredentialVariable(name) && name !== 'BENCHGATE_READ_TOKEN'),
  );
}

/**
 * Removes the credential variables from this process's environment, once the entry has read what
 * it needs: suites are imported in-process to list their benchmarks and must not find them there.
 */
export function dropCredentialVariables(env: NodeJS.ProcessEnv = process.env): void {
  for (const name of Object.keys(env)) if (isCredentialVariable(name)) delete env[name];
}
