/**
 * `storage: service`: sends a run to a `benchgate serve` instance (POST /api/v1/runs, the
 * RunReport as JSON, the token as a bearer). Retried on network errors and 5xx; the token is
 * never part of a message.
 */
import type { RunReport } from '../model.js';
import { UserError } from '../errors.js';

/** A run the service would not take: the message says why (status and the server's words). */
export class ServiceError extends UserError {}

/** Posts `report`; resolves with the HTTP status (201 stored, 200 already there). */
export async function postRun(
  serviceUrl: string,
  token: string,
  report: RunReport,
  options: { attempts?: number; delayMs?: number } = {},
): Promise<number> {
  const url = `${serviceUrl.replace(/\/+$/, '')}/api/v1/runs`;
  const attempts = options.attempts ?? 4;
  let last = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'user-agent': 'benchgate' },
        body: JSON.stringify(report),
      });
      if (res.ok) return res.status;
      const text = (await res.text()).slice(0, 500).replaceAll(token, '***');
      if (res.status < 500) throw new ServiceError(`${url} refused the run (HTTP ${res.status}): ${text}`);
      last = `HTTP ${res.status}: ${text}`;
    } catch (e) {
      if (e instanceof ServiceError) throw e;
      last = (e as Error).message.replaceAll(token, '***');
    }
    if (attempt < attempts) await new Promise((r) => setTimeout(r, (options.delayMs ?? 1000) * 2 ** (attempt - 1)));
  }
  throw new ServiceError(`could not send the run to ${url} after ${attempts} attempts: ${last}`);
}
