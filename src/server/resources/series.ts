/**
 * `GET /api/v1/projects/:project/testbeds/:testbed/benchmarks/:benchmark/series`: one
 * benchmark's main-branch history on a testbed with its change points (recomputed first when
 * runs arrived since they were last computed). `?measure=peak-memory`, or the path
 * `.../series/peak-memory` that the static export writes, gives another measure's figures.
 */
import type { MeasureSeries, Series } from '../../model.js';
import {
  seriesColumns,
  seriesIsStale,
  seriesMeasures,
  seriesMeasureValues,
  storedChangePoints,
} from '../../store/series.js';
import type { Context, Params, Route } from '../context.js';
import { benchmarkParam, measureParam, projectParam, testbedParam } from '../params.js';

/** The series of time, or of the measure asked for. */
export function readSeries(ctx: Context, params: Params, query = new URLSearchParams()): Series | MeasureSeries {
  const measure = measureParam(params, query);
  const project = projectParam(ctx, params);
  const testbed = testbedParam(ctx, params, project.id);
  const benchmark = benchmarkParam(ctx, params, project.id);
  const key = { projectId: project.id, benchmarkId: benchmark.id, testbedId: testbed.id, branch: ctx.settings.branch };
  const measures = seriesMeasures(ctx.db, key);
  const head = {
    project,
    benchmark,
    testbed,
    branch: ctx.settings.branch,
    repositoryUrl: ctx.settings.repositoryUrl,
  };
  if (measure === 'time') {
    if (seriesIsStale(ctx.db, key)) ctx.refreshSeries(key);
    return {
      ...head,
      points: seriesColumns(ctx.db, key),
      changePoints: storedChangePoints(ctx.db, benchmark.id, testbed.id),
      ...(measures.length > 1 ? { measures } : {}),
    };
  }
  const { medianSeconds: _time, ...columns } = seriesColumns(ctx.db, key);
  return {
    ...head,
    measure,
    points: { ...columns, values: seriesMeasureValues(ctx.db, key, measure, columns.runId) },
    changePoints: [],
    measures,
  };
}

/** The routes: the series, and the same with the measure in the path. */
export const seriesRoutes: Route[] = [
  { method: 'GET', path: '/projects/:project/testbeds/:testbed/benchmarks/:benchmark/series', read: readSeries },
  {
    method: 'GET',
    path: '/projects/:project/testbeds/:testbed/benchmarks/:benchmark/series/:measure',
    read: readSeries,
  },
];
