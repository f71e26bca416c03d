/** The one place an Octokit client is made: pointed at GITHUB_API_URL, token never logged. */
import { Octokit } from 'octokit';

/** An authenticated REST client for `apiUrl` (github.com's, GHES's, or a test stand-in's). */
export function githubClient(token: string, apiUrl: string): Octokit {
  return new Octokit({
    auth: token,
    baseUrl: apiUrl,
    userAgent: 'benchgate',
    // Octokit's default logger prints request failures with their URL only; keep warnings quiet
    // so that our own messages (which say what to do) are the ones in the log.
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    throttle: { enabled: false },
    retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 451] },
  });
}
