/**
 * `storage: service` in history mode: the service's recent history runs, loaded into the job's
 * database before measuring, as the data branch's run files are for `storage: branch`, so the new
 * run is judged against them and a regression's profile finds the one an earlier run kept.
 *
 * Three small reads find what to load — the project's id (`GET /projects`), its newest history
 * runs (`GET /projects/:id/runs?kind=history&testbed=KEY&limit=50`) and, on one testbed, the
 * newest run that kept a profile (`&kept=true&limit=1`) — then each run not already stored is
 * read whole (`GET /runs/:id`), a few at a time, and stored oldest first (the history reads runs
 * in the order they were stored). The service's answers are untrusted: a run that is not a valid
 * run, or not the run asked for, is skipped with a warning; a service that cannot be reached, or
 * refuses the token, fails the job naming the URL (never the token).
 */
import type { RunReport } from '../model.js';
import { openStore, storeFault } from '../store/open.js';
import { saveRun } from '../store/runs.js';
import { ValidationError } from '../validate/check.js';
import { RUN_ID, validateRun } from '../validate/run.js';
import { refusalText, ServiceError, TransientError, withRetries, type RetryOptions } from './service.js';

/**
 * How many of the newest history runs to load. A verdict looks at the newest 20 earlier runs
 * that measured its benchmark (HISTORY_DEPTH); runs that skipped it (a filter, an error, a
 * shard) do not count, so 50 leaves room for them, and gives the change points of the newest
 * 10 commits 40 runs before them. A sharded job loads the newest 50 of every testbed (below).
 */
export const SERVICE_HISTORY_RUNS = 50;

/** The largest run read: the largest the service takes in a POST, so no run it stored is cut. */
export const MAX_RUN_BYTES = 32 * 1024 * 1024;

/** The largest project or run list read (200 runs of the list are some 200 KB). */
const MAX_LIST_BYTES = 8 * 1024 * 1024;

/** Runs read at once. */
const CONCURRENCY = 4;

/** How long one request may take before it is tried again. */
const REQUEST_TIMEOUT_MS = 60_000;

/** Which history to load. */
export interface ServiceHistoryQuery {
  /** The project's name, as the run will carry it. */
  project: string;
  /**
   * This machine's testbed fingerprint: only its runs are loaded. Null loads every testbed's
   * newest runs, which a sharded job needs: its jobs (on runners with different CPUs) must read
   * the same history to plan the same shards.
   */
  testbedKey: string | null;
}

/** What a load did: the runs the service listed, those new to the database, and the ids skipped. */
export interface LoadedHistory {
  /** False when the service holds no run of the project yet. */
  projectFound: boolean;
  listed: number;
  added: number;
  skipped: string[];
}

/** A JSON answer, or why there is none (404, too large, not JSON): the caller decides what that means. */
type JsonAnswer = { ok: true; body: unknown } | { ok: false; problem: string };

/** Reads a body of at most `limit` bytes, or null when it is larger (the rest is not read). */
async function cappedText(res: Response, limit: number): Promise<string | null> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await res.body?.cancel();
    return null;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (res.body === null) return '';
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** GETs `url` as JSON; retried on network errors, timeouts and 5xx; 401, 403 and other 4xx but 404 fail. */
function getJson(url: string, token: string, limit: number, options: RetryOptions): Promise<JsonAnswer> {
  return withRetries(
    url,
    token,
    'read',
    async () => {
      const res = await fetch(url, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'user-agent': 'benchgate' },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      if (res.status === 404) return { ok: false, problem: `HTTP 404: ${await refusalText(res, token)}` };
      if (!res.ok) {
        const text = await refusalText(res, token);
        if (res.status < 500) throw new ServiceError(`${url} refused to answer (HTTP ${res.status}): ${text}`);
        throw new TransientError(`HTTP ${res.status}: ${text}`);
      }
      const text = await cappedText(res, limit);
      if (text === null) return { ok: false, problem: `the answer is larger than ${limit} bytes` };
      try {
        return { ok: true, body: JSON.parse(text) as unknown };
      } catch {
        return { ok: false, problem: 'the answer is not JSON' };
      }
    },
    options,
  );
}

/** A list the service must answer: anything else means it is not a benchgate service (or a broken one). */
async function listOf(url: string, token: string, options: RetryOptions): Promise<unknown[]> {
  const answer = await getJson(url, token, MAX_LIST_BYTES, options);
  if (!answer.ok) throw new ServiceError(`${url} did not answer a list: ${answer.problem}`);
  if (!Array.isArray(answer.body)) throw new ServiceError(`${url} did not answer a list (got ${typeof answer.body})`);
  return answer.body;
}

/** The project's id on the service, or null when it has none of that name yet. */
async function projectId(api: string, token: string, name: string, options: RetryOptions): Promise<number | null> {
  const url = `${api}/projects`;
  const found = (await listOf(url, token, options)).find((p) => (p as { name?: unknown } | null)?.name === name) as
    { id?: unknown } | undefined;
  if (found === undefined) return null;
  if (!Number.isSafeInteger(found.id) || (found.id as number) < 1)
    throw new ServiceError(`${url} gave project ${JSON.stringify(name)} the id ${JSON.stringify(found.id)}`);
  return found.id as number;
}

/** The run ids of a run list, newest first; an item without a valid id means a broken list. */
async function runIds(url: string, token: string, options: RetryOptions): Promise<string[]> {
  return (await listOf(url, token, options)).map((item, i) => {
    const id = (item as { id?: unknown } | null)?.id;
    if (typeof id !== 'string' || !RUN_ID.test(id))
      throw new ServiceError(`${url} listed run ${i} with the id ${JSON.stringify(id)?.slice(0, 80)}`);
    return id;
  });
}

/** Why a fetched run is not stored, or null when it is the history run asked for. */
function mismatch(run: RunReport, id: string, q: ServiceHistoryQuery): string | null {
  if (run.id !== id) return `it is run ${JSON.stringify(run.id)}`;
  if (run.kind !== 'history') return `it is a ${run.kind} run`;
  if (run.project !== q.project) return `it is of project ${JSON.stringify(run.project)}`;
  if (q.testbedKey !== null && run.testbed.key !== q.testbedKey) return `it is of testbed ${run.testbed.key}`;
  if (run.settings.shard !== undefined) return 'it is one shard of a run, not a whole run';
  return null;
}

/** A database constraint a run broke (its data, not the database, is at fault). */
const isConstraint = (e: unknown): boolean => String((e as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT');

/**
 * Loads the service's recent history runs of `q.project` into the database at `dbPath`; `warn`
 * hears of each run skipped. Throws a {@link ServiceError} when the service cannot be reached,
 * refuses the token, or answers lists that are not its lists.
 */
export async function loadServiceHistory(
  serviceUrl: string,
  token: string,
  dbPath: string,
  q: ServiceHistoryQuery,
  warn: (message: string) => void = () => undefined,
  options: RetryOptions = {},
): Promise<LoadedHistory> {
  const api = `${serviceUrl.replace(/\/+$/, '')}/api/v1`;
  const project = await projectId(api, token, q.project, options);
  if (project === null) return { projectFound: false, listed: 0, added: 0, skipped: [] };
  const runsUrl = (extra: Record<string, string>) => {
    const query = new URLSearchParams({ kind: 'history', ...(q.testbedKey === null ? {} : { testbed: q.testbedKey }) });
    for (const [k, v] of Object.entries(extra)) query.set(k, v);
    return `${api}/projects/${project}/runs?${query}`;
  };
  const newest = [...new Set(await runIds(runsUrl({ limit: String(SERVICE_HISTORY_RUNS) }), token, options))];
  // The newest run that kept a profile, when older than those: it goes first, being older than all.
  const kept = q.testbedKey === null ? [] : await runIds(runsUrl({ kept: 'true', limit: '1' }), token, options);
  const order = [...kept.filter((id) => !newest.includes(id)), ...[...newest].reverse()];
  const db = openStore(dbPath);
  const skipped: string[] = [];
  const skip = (id: string, why: string) => {
    skipped.push(id);
    warn(`benchgate: skipped run ${id} of ${serviceUrl}: ${why}`);
  };
  let added = 0;
  try {
    const stored = db.prepare('SELECT 1 FROM run WHERE id = ?');
    const wanted = order.filter((id) => stored.get(id) === undefined);
    for (let i = 0; i < wanted.length; i += CONCURRENCY) {
      const batch = wanted.slice(i, i + CONCURRENCY);
      const answers = await Promise.all(batch.map((id) => getJson(`${api}/runs/${id}`, token, MAX_RUN_BYTES, options)));
      // Stored in list order, oldest first, whichever answer came first.
      batch.forEach((id, j) => {
        const answer = answers[j] as JsonAnswer;
        if (!answer.ok) return skip(id, answer.problem);
        let run: RunReport;
        try {
          run = validateRun(answer.body);
        } catch (e) {
          if (!(e instanceof ValidationError)) throw e;
          return skip(id, `not a valid run: ${e.message}`);
        }
        const wrong = mismatch(run, id, q);
        if (wrong !== null) return skip(id, `not the history run asked for: ${wrong}`);
        try {
          if (saveRun(db, run)) added++;
        } catch (e) {
          if (!isConstraint(e)) throw e;
          skip(id, `it cannot be stored: ${(e as Error).message}`);
        }
      });
    }
    return { projectFound: true, listed: order.length, added, skipped };
  } catch (e) {
    throw storeFault(e, dbPath) ?? e;
  } finally {
    db.close();
  }
}
