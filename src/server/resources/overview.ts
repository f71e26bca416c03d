/** `GET /api/v1/projects/:project/testbeds/:testbed/overview`: every benchmark's recent state. */
import type { Overview } from '../../model.js';
import { overviewRows } from '../../store/overview.js';
import type { Context, Params, Route } from '../context.js';
import { projectParam, testbedParam } from '../params.js';

/** The overview of a project on a testbed. */
export function readOverview(ctx: Context, params: Params): Overview {
  const project = projectParam(ctx, params);
  const testbed = testbedParam(ctx, params, project.id);
  return {
    project,
    testbed,
    branch: ctx.settings.branch,
    rows: overviewRows(ctx.db, project.id, testbed.id, ctx.settings.branch),
  };
}

/** The route. */
export const overviewRoutes: Route[] = [
  { method: 'GET', path: '/projects/:project/testbeds/:testbed/overview', read: readOverview },
];
