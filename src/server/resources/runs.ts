/**
 * Runs: `GET /api/v1/projects/:project/runs` (newest first), `GET /api/v1/runs/:id` (the whole
 * RunReport with its verdicts) and `POST /api/v1/runs` (ingest a `run --json` or `compare
 * --json` report: 201 when stored, 200 when the same run was stored before, 409 when the id is
 * taken by a different run).
 */
import type { RunListItem, RunReport } from '../../model.js';
import { listRuns } from '../../store/catalog.js';
import { loadRun } from '../../store/runs.js';
import { ValidationError } from '../../validate/check.js';
import type { Context, Params, Route, WriteResult } from '../context.js';
import { HttpError } from '../http.js';
import { projectParam } from '../params.js';
import { RUN_ID, validateRun } from '../../validate/run.js';

/** How many runs a project's run list holds. */
export const RUN_LIST_LIMIT = 200;

/** A project's latest runs. */
export function readRuns(ctx: Context, params: Params): RunListItem[] {
  return listRuns(ctx.db, projectParam(ctx, params).id, RUN_LIST_LIMIT);
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
  const outcome = await ctx.ingest(report);
  if (outcome.status === 'conflict') {
    throw new HttpError(
      409,
      `run ${outcome.id} is already stored with different content; a run id names one run (generate a new id)`,
    );
  }
  if (outcome.status === 'duplicate') {
    return {
      status: 200,
      body: { id: outcome.id, stored: false, message: `run ${outcome.id} was already stored; nothing changed` },
    };
  }
  if (outcome.staleSeries > 0) ctx.scheduleChangePoints();
  return {
    status: 201,
    body: {
      id: outcome.id,
      stored: true,
      benchmarks: outcome.benchmarks,
      measurements: outcome.measurements,
      url: `api/v1/runs/${outcome.id}`,
    },
  };
}

/** The routes. */
export const runsRoutes: Route[] = [
  { method: 'GET', path: '/projects/:project/runs', read: readRuns },
  { method: 'GET', path: '/runs/:id', read: readRun },
  { method: 'POST', path: '/runs', write: postRun },
];
