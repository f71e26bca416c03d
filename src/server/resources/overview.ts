/**
 * `GET /api/v1/projects/:project/testbeds/:testbed/overview`: every benchmark's recent state.
 * `?measure=peak-memory`, or the path `.../overview/peak-memory` that the static export writes,
 * gives another measure's figures and verdicts.
 */
import type { MeasureOverview, Overview } from '../../model.js';
import { overviewMeasureRows, overviewMeasures, overviewRows } from '../../store/overview.js';
import type { Context, Params, Route } from '../context.js';
import { measureParam, projectParam, testbedParam } from '../params.js';

/** The overview of a project on a testbed, in time or in the measure asked for. */
export function readOverview(ctx: Context, params: Params, query = new URLSearchParams()): Overview | MeasureOverview {
  const measure = measureParam(params, query);
  const project = projectParam(ctx, params);
  const testbed = testbedParam(ctx, params, project.id);
  const branch = ctx.settings.branch;
  const measures = overviewMeasures(ctx.db, project.id, testbed.id, branch);
  const head = { project, testbed, branch };
  if (measure === 'time')
    return {
      ...head,
      rows: overviewRows(ctx.db, project.id, testbed.id, branch),
      ...(measures.length > 1 ? { measures } : {}),
    };
  return { ...head, measure, rows: overviewMeasureRows(ctx.db, project.id, testbed.id, branch, measure), measures };
}

/** The routes: the overview, and the same with the measure in the path. */
export const overviewRoutes: Route[] = [
  { method: 'GET', path: '/projects/:project/testbeds/:testbed/overview', read: readOverview },
  { method: 'GET', path: '/projects/:project/testbeds/:testbed/overview/:measure', read: readOverview },
];
