/**
 * Roofline reports: `POST /api/v1/roofline?project=NAME` stores one (the `project` field of the
 * body wins over the query); `GET /api/v1/projects/:project/roofline` gives the latest, or
 * `null` when none is stored.
 */
import type { StoredRoofline } from '../../model.js';
import { latestRoofline, saveRoofline } from '../../store/roofline.js';
import { string, ValidationError } from '../../validate/check.js';
import type { Context, Params, Route } from '../context.js';
import { HttpError } from '../http.js';
import { projectParam } from '../params.js';
import { validateRoofline } from '../../validate/roofline.js';

/** The latest roofline report of a project, or null. */
export function readRoofline(ctx: Context, params: Params): StoredRoofline | null {
  return latestRoofline(ctx.db, projectParam(ctx, params).id);
}

/** The routes. */
export const rooflineRoutes: Route[] = [
  { method: 'GET', path: '/projects/:project/roofline', read: readRoofline },
  {
    method: 'POST',
    path: '/roofline',
    write(ctx, _params, body, req) {
      try {
        const query = new URL(req.url ?? '/', 'http://localhost').searchParams.get('project');
        const fromBody =
          typeof body === 'object' && body !== null ? (body as Record<string, unknown>).project : undefined;
        const project = string(fromBody ?? query ?? undefined, 'project', 200);
        const report = validateRoofline(body);
        return {
          status: 201,
          body: { id: saveRoofline(ctx.db, project, report), project, results: report.results.length },
        };
      } catch (e) {
        if (e instanceof ValidationError) throw new HttpError(422, e.message);
        throw e;
      }
    },
  },
];
