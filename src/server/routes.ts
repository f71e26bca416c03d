/** Every API endpoint, and matching a request path against them. */
import type { Params, Route } from './context.js';
import { benchmarksRoutes } from './resources/benchmarks.js';
import { overviewRoutes } from './resources/overview.js';
import { projectsRoutes } from './resources/projects.js';
import { rooflineRoutes } from './resources/roofline.js';
import { runsRoutes } from './resources/runs.js';
import { seriesRoutes } from './resources/series.js';

/** The API under /api/v1. */
export const routes: Route[] = [
  ...projectsRoutes,
  ...benchmarksRoutes,
  ...overviewRoutes,
  ...seriesRoutes,
  ...runsRoutes,
  ...rooflineRoutes,
];

/** The API prefix; a GET path may end in `.json`, so the static export's files have the same URLs. */
export const API_PREFIX = '/api/v1';

/** Routes whose path matches (any method), with the parameters taken from the path. */
export function matchRoutes(path: string): { route: Route; params: Params }[] {
  const parts = path.split('/').slice(1);
  const out: { route: Route; params: Params }[] = [];
  for (const route of routes) {
    const pattern = route.path.split('/').slice(1);
    if (pattern.length !== parts.length) continue;
    const params: Params = {};
    let ok = true;
    for (let i = 0; i < pattern.length && ok; i++) {
      const want = pattern[i] as string;
      let got: string;
      try {
        got = decodeURIComponent(parts[i] as string);
      } catch {
        ok = false;
        break;
      }
      if (want.startsWith(':')) params[want.slice(1)] = got;
      else ok = want === got;
    }
    if (ok) out.push({ route, params });
  }
  return out;
}

/** Fills a route path with parameters (for the export and for links). */
export function routePath(path: string, params: Params): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(params[name] ?? ''));
}
