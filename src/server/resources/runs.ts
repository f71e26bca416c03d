/**
 * Runs: `GET /api/v1/projects/:project/runs` (newest first), `GET /api/v1/runs/:id` (the whole
 * RunReport with its verdicts) and `POST /api/v1/runs` (ingest a `run --json` or `compare
 * --json` report: 201 when stored, 200 when the same run was stored before, 409 when the id is
 * taken by a different run). A shard's run is held (202, naming the shards still awaited) until
 * its run is whole, then merged and stored (201); one that does not fit the shards held is
 * refused (409, or 422 when invalid alone), naming the problem.
 */
import type { RunListItem, RunReport } from '../../model.js';
import { listRuns } from '../../store/catalog.js';
import { loadRun } from '../../store/runs.js';
import { ValidationError } from '../../validate/check.js';
import type { Context, Params, Route, WriteResult } from '../context.js';
import type { IngestOutcome } from '../ingest/ingest.js';
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
