/**
 * `GET /api/v1/projects/:project/testbeds/:testbed/benchmarks/:benchmark/series`: one
 * benchmark's main-branch history on a testbed with its change points (recomputed first when
 * runs arrived since they were last computed).
 */
import type { Series } from '../../model.js';
import { seriesColumns, seriesIsStale, storedChangePoints } from '../../store/series.js';
import type { Context, Params, Route } from '../context.js';
import { benchmarkParam, projectParam, testbedParam } from '../params.js';

/** The series. */
export function readSeries(ctx: Context, params: Params): Series {
  const project = projectParam(ctx, params);
  const testbed = testbedParam(ctx, params, project.id);
  const benchmark = benchmarkParam(ctx, params, project.id);
  const key = { projectId: project.id, benchmarkId: benchmark.id, testbedId: testbed.id, branch: ctx.settings.branch };
  if (seriesIsStale(ctx.db, key)) ctx.refreshSeries(key);
  return {
    project,
    benchmark,
    testbed,
    branch: ctx.settings.branch,
    repositoryUrl: ctx.settings.repositoryUrl,
    points: seriesColumns(ctx.db, key),
    changePoints: storedChangePoints(ctx.db, benchmark.id, testbed.id),
  };
}

/** The route. */
export const seriesRoutes: Route[] = [
  { method: 'GET', path: '/projects/:project/testbeds/:testbed/benchmarks/:benchmark/series', read: readSeries },
];
