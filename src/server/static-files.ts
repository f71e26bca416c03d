/**
 * The dashboard's files (built by `npm run build:dashboard` into dist/dashboard). Only files
 * listed at start-up are served, so no request path can reach anything else.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json; charset=utf-8',
};

/** The folder of the built dashboard: dist/dashboard under the package root. */
export function dashboardDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the benchgate package root');
    dir = up;
  }
  return join(dir, 'dist', 'dashboard');
}

/** A served file. */
export interface StaticFile {
  body: Buffer;
  type: string;
}

/** Loads the built dashboard; throws an actionable error when it has not been built. */
export function loadDashboard(dir = dashboardDir()): Map<string, StaticFile> {
  if (!existsSync(join(dir, 'index.html'))) {
    throw new Error(`the dashboard is not built (no ${join(dir, 'index.html')}): run npm run build:dashboard`);
  }
  const files = new Map<string, StaticFile>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (type) files.set(`/${name}`, { body: readFileSync(join(dir, name)), type });
  }
  return files;
}
