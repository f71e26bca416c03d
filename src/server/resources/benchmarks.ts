/** `GET /api/v1/projects/:project/benchmarks`: a project's benchmarks. */
import type { BenchmarkSummary } from '../../model.js';
import { listBenchmarks } from '../../store/catalog.js';
import type { Context, Params, Route } from '../context.js';
import { projectParam } from '../params.js';

/** Lists a project's benchmarks. */
export function readBenchmarks(ctx: Context, params: Params): BenchmarkSummary[] {
  return listBenchmarks(ctx.db, projectParam(ctx, params).id);
}

/** The route. */
export const benchmarksRoutes: Route[] = [
  { method: 'GET', path: '/projects/:project/benchmarks', read: readBenchmarks },
];
