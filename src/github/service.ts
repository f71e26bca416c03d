/**
 * `storage: service`: sends a run to a `benchgate serve` instance (POST /api/v1/runs, the
 * RunReport as JSON, the token as a bearer). Retried on network errors and 5xx; the token is
 * never part of a message. The reads of its history (service-history.ts) share the retries.
 */
import type { RunReport } from '../model.js';
import { UserError } from '../errors.js';

/** A run the service would not take, or a service that could not be reached: the message says why. */
export class ServiceError extends UserError {}

/** How often, and how long apart at first, a request is tried (the wait doubles each time). */
export interface RetryOptions {
  attempts?: number;
  delayMs?: number;
}

/** A failure worth another try: a network error, a timeout or a 5xx. */
export class TransientError extends Error {}

/** The service's own words from a refusal: at most 500 characters, the token blanked out. */
export async function refusalText(res: Response, token: string): Promise<string> {
  return (await res.text()).slice(0, 500).replaceAll(token, '***');
}

/** What a failed fetch says, with its cause (`fetch failed` alone names nothing). */
const failureText = (e: unknown): string => {
  const cause = (e as { cause?: unknown }).cause;
  const why = cause instanceof Error ? ` (${cause.message})` : '';
  return `${(e as Error).message}${why}`;
};

/**
 * Calls `once` until it resolves, retrying on anything but a {@link ServiceError} (network
 * errors, {@link TransientError}s) with doubling waits; after the last attempt throws a
 * ServiceError that says what could not be done (`what`, e.g. "send the run to") and to which URL.
 */
export async function withRetries<T>(
  url: string,
  token: string,
  what: string,
  once: () => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 4;
  let last = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await once();
    } catch (e) {
      if (e instanceof ServiceError) throw e;
      last = failureText(e).replaceAll(token, '***');
    }
    if (attempt < attempts) await new Promise((r) => setTimeout(r, (options.delayMs ?? 1000) * 2 ** (attempt - 1)));
  }
  throw new ServiceError(`could not ${what} ${url} after ${attempts} attempts: ${last}`);
}

/** Posts `report`; resolves with the HTTP status (201 stored, 200 already there, 202 a shard held). */
export async function postRun(
  serviceUrl: string,
  token: string,
  report: RunReport,
  options: RetryOptions = {},
): Promise<number> {
  const url = `${serviceUrl.replace(/\/+$/, '')}/api/v1/runs`;
  return withRetries(
    url,
    token,
    'send the run to',
    async () => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'user-agent': 'benchgate' },
        body: JSON.stringify(report),
      });
      if (res.ok) return res.status;
      const text = await refusalText(res, token);
      if (res.status < 500) throw new ServiceError(`${url} refused the run (HTTP ${res.status}): ${text}`);
      throw new TransientError(`HTTP ${res.status}: ${text}`);
    },
    options,
  );
}
