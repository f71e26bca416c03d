/** `GET /api/v1/projects`: every project with its counts and testbeds. */
import type { ProjectSummary } from '../../model.js';
import { listProjects, projectCounts, projectTestbeds } from '../../store/catalog.js';
import type { Context, Route } from '../context.js';

/** Lists the projects. */
export function readProjects(ctx: Context): ProjectSummary[] {
  return listProjects(ctx.db).map((p) => ({
    id: p.id,
    name: p.name,
    ...projectCounts(ctx.db, p.id),
    testbeds: projectTestbeds(ctx.db, p.id, ctx.settings.branch),
    branch: ctx.settings.branch,
    repositoryUrl: ctx.settings.repositoryUrl,
  }));
}

/** The route. */
export const projectsRoutes: Route[] = [{ method: 'GET', path: '/projects', read: readProjects }];
