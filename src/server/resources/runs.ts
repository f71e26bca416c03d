/**
 * Runs: `GET /api/v1/projects/:project/runs` (newest first; filtered by kind, branch, testbed and
 * kept profiles, and limited, by its query), `GET /api/v1/runs/:id` (the whole
 * RunReport with its verdicts) and `POST /api/v1/runs` (ingest a `run --json` or `compare
 * --json` report: 201 when stored, 200 when the same run was stored before, 409 when the id is
 * taken by a different run). A shard's run is held (202, naming the shards still awaited) until
 * its run is whole, then merged and stored (201); one that does not fit the shards held is
 * refused (409, or 422 when invalid alone), naming the problem.
 */
import type { RunListItem, RunReport } from '../../model.js';
import { listRuns, type RunFilter } from '../../store/catalog.js';
import { loadRun } from '../../store/runs.js';
import { ValidationError } from '../../validate/check.js';
import type { Context, Params, Route, WriteResult } from '../context.js';
import type { IngestOutcome } from '../ingest/ingest.js';
import { HttpError } from '../http.js';
import { projectParam } from '../params.js';
import { RUN_ID, validateRun } from '../../validate/run.js';

/** How many runs a project's run list holds (and the most `limit` may ask for). */
export const RUN_LIST_LIMIT = 200;

/** The run list's query parameters. */
const RUN_LIST_PARAMS = ['kind', 'branch', 'testbed', 'kept', 'limit'];

/** The longest branch name or testbed key a filter takes (the run validator's bound on a testbed key). */
const MAX_FILTER_CHARS = 200;

const shown = (raw: string): string => JSON.stringify(raw.slice(0, 80));

/** A text filter: 1 to {@link MAX_FILTER_CHARS} characters, none of them control characters; or 400. */
function textFilter(query: URLSearchParams, name: string, what: string): string | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  // eslint-disable-next-line no-control-regex
  if (raw.length === 0 || raw.length > MAX_FILTER_CHARS || /[\u0000-\u001f\u007f]/.test(raw))
    throw new HttpError(400, `${name} must be ${what} (1 to ${MAX_FILTER_CHARS} characters) but got ${shown(raw)}`);
  return raw;
}

/**
 * The run list's filters and limit from the query (`kind`, `branch`, `testbed` by its
 * fingerprint, `kept=true`, `limit` 1–200); a bad value or an unknown parameter is 400 naming it.
 */
export function runListQuery(query: URLSearchParams): { filter: RunFilter; limit: number } {
  for (const name of new Set(query.keys())) {
    if (!RUN_LIST_PARAMS.includes(name))
      throw new HttpError(400, `unknown parameter ${shown(name)}: the run list takes ${RUN_LIST_PARAMS.join(', ')}`);
    if (query.getAll(name).length > 1) throw new HttpError(400, `${name} is given more than once`);
  }
  const filter: RunFilter = {};
  const kind = query.get('kind');
  if (kind !== null) {
    if (kind !== 'history' && kind !== 'compare')
      throw new HttpError(400, `kind must be history or compare but got ${shown(kind)}`);
    filter.kind = kind;
  }
  const branch = textFilter(query, 'branch', 'a branch name');
  if (branch !== undefined) filter.branch = branch;
  const testbed = textFilter(query, 'testbed', "a testbed's fingerprint (its key)");
  if (testbed !== undefined) filter.testbedKey = testbed;
  const kept = query.get('kept');
  if (kept !== null) {
    if (kept !== 'true')
      throw new HttpError(400, `kept must be true (runs that kept a profile) but got ${shown(kept)}`);
    filter.kept = true;
  }
  const rawLimit = query.get('limit');
  const limit = rawLimit === null ? RUN_LIST_LIMIT : Number(rawLimit);
  if (rawLimit !== null && (!/^[1-9]\d{0,3}$/.test(rawLimit) || limit > RUN_LIST_LIMIT))
    throw new HttpError(400, `limit must be an integer from 1 to ${RUN_LIST_LIMIT} but got ${shown(rawLimit)}`);
  return { filter, limit };
}

/** A project's latest runs, filtered by the query. */
export function readRuns(ctx: Context, params: Params, query = new URLSearchParams()): RunListItem[] {
  const project = projectParam(ctx, params).id;
  const { filter, limit } = runListQuery(query);
  return listRuns(ctx.db, project, limit, filter);
}

/** One run with its verdicts. */
export function readRun(ctx: Context, params: Params): RunReport {
  const id = params.id ?? '';
  if (!RUN_ID.test(id)) throw new HttpError(404, `no run with id ${JSON.stringify(id)}`);
  const run = loadRun(ctx.db, id);
  if (!run) throw new HttpError(404, `no run with id ${JSON.stringify(id)}`);
  return run;
}

async function postRun(ctx: Context, _params: Params, body: unknown): Promise<WriteResult> {
  let report: RunReport;
  try {
    report = validateRun(body);
  } catch (e) {
    if (e instanceof ValidationError) throw new HttpError(422, e.message);
    throw e;
  }
  return answer(ctx, await ctx.ingest(report));
}

const list = (ks: number[]) => ks.join(', ');

/** The HTTP answer to what ingesting a run (or a shard's run) did. */
function answer(ctx: Context, outcome: IngestOutcome): WriteResult {
  switch (outcome.status) {
    case 'conflict':
      throw new HttpError(
        409,
        `run ${outcome.id} is already stored with different content; a run id names one run (generate a new id)`,
      );
    case 'refused':
      throw new HttpError(outcome.httpStatus, `shard refused, nothing stored: ${outcome.problems.join('; ')}`);
    case 'duplicate':
      return {
        status: 200,
        body: { id: outcome.id, stored: false, message: `run ${outcome.id} was already stored; nothing changed` },
      };
    case 'shard-duplicate':
      return {
        status: 200,
        body: {
          id: outcome.id,
          stored: false,
          shard: { k: outcome.k, n: outcome.n },
          mergedInto: outcome.mergedInto,
          waiting: outcome.waiting,
          message:
            `shard ${outcome.k}/${outcome.n} (run ${outcome.id}) was received before; nothing changed` +
            (outcome.mergedInto !== null
              ? `; its run is stored as ${outcome.mergedInto}`
              : `; waiting for shards ${list(outcome.waiting)}`),
        },
      };
    case 'late':
      return {
        status: 200,
        body: {
          id: outcome.id,
          stored: false,
          shard: { k: outcome.k, n: outcome.n },
          mergedInto: outcome.mergedInto,
          message: `the shards of this run were already merged into run ${outcome.mergedInto}; shard ${outcome.k}/${outcome.n} (run ${outcome.id}) was not stored`,
        },
      };
    case 'held':
      return {
        status: 202,
        body: {
          id: outcome.id,
          stored: false,
          held: true,
          shard: { k: outcome.k, n: outcome.n },
          waiting: outcome.waiting,
          message:
            `shard ${outcome.k}/${outcome.n} held; waiting for shards ${list(outcome.waiting)}` +
            (outcome.replaced !== null
              ? `; it replaces the shard ${outcome.k}/${outcome.n} held before (run ${outcome.replaced})`
              : '') +
            (outcome.otherPartitions > 0
              ? '; shards of this commit are also held under another partition (the jobs read different histories or listed different benchmarks)'
              : ''),
        },
      };
    case 'merged':
    case 'stored': {
      if (outcome.staleSeries > 0) ctx.scheduleChangePoints();
      const shard =
        outcome.status === 'merged'
          ? {
              shard: { k: outcome.k, n: outcome.n },
              shardId: outcome.shardId,
              message: `shard ${outcome.k}/${outcome.n} completed the run: its ${outcome.n} shards were merged into run ${outcome.id}`,
            }
          : {};
      return {
        status: 201,
        body: {
          id: outcome.id,
          stored: true,
          benchmarks: outcome.benchmarks,
          measurements: outcome.measurements,
          url: `api/v1/runs/${outcome.id}`,
          ...shard,
        },
      };
    }
  }
}

/** The routes. */
export const runsRoutes: Route[] = [
  { method: 'GET', path: '/projects/:project/runs', read: readRuns },
  { method: 'GET', path: '/runs/:id', read: readRun },
  { method: 'POST', path: '/runs', write: postRun },
];
