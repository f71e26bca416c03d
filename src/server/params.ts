/** Path parameters to typed ids, answering 404 for anything malformed or unknown. */
import { findBenchmark, findProject, findTestbed, type ProjectRow } from '../store/catalog.js';
import { isMeasureName, MEASURES, type BenchmarkSummary, type MeasureName, type TestbedSummary } from '../model.js';
import type { Context, Params } from './context.js';
import { HttpError } from './http.js';

/** A positive integer id from the path, or 404. */
export function idParam(params: Params, name: string): number {
  const raw = params[name] ?? '';
  if (!/^[1-9]\d{0,15}$/.test(raw))
    throw new HttpError(404, `${name} must be a positive integer id but got ${JSON.stringify(raw)}`);
  return Number(raw);
}

/** The project named by `:project`, or 404. */
export function projectParam(ctx: Context, params: Params): ProjectRow {
  const id = idParam(params, 'project');
  const p = findProject(ctx.db, id);
  if (!p) throw new HttpError(404, `no project with id ${id}`);
  return p;
}

/** The testbed named by `:testbed`, or 404. */
export function testbedParam(ctx: Context, params: Params, projectId: number): TestbedSummary {
  const id = idParam(params, 'testbed');
  const t = findTestbed(ctx.db, id, projectId, ctx.settings.branch);
  if (!t) throw new HttpError(404, `no testbed with id ${id}`);
  return t;
}

/** The benchmark named by `:benchmark` in a project, or 404. */
export function benchmarkParam(ctx: Context, params: Params, projectId: number): BenchmarkSummary {
  const id = idParam(params, 'benchmark');
  const b = findBenchmark(ctx.db, projectId, id);
  if (!b) throw new HttpError(404, `no benchmark with id ${id} in project ${projectId}`);
  return b;
}

/** The measure asked for (path, then query; time by default), or 400 naming what was given. */
export function measureParam(params: Params, query: URLSearchParams): MeasureName {
  const raw = params.measure ?? query.get('measure') ?? 'time';
  if (!isMeasureName(raw))
    throw new HttpError(
      400,
      `measure must be one of ${MEASURES.join(', ')}, '<unit>/op', '<unit>/s' or 'counter:<name>' but got ${JSON.stringify(raw.slice(0, 80))}`,
    );
  return raw;
}
