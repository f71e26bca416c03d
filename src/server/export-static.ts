/**
 * `benchgate export`: the dashboard as static files (for GitHub Pages). Every GET the dashboard
 * makes is written as `api/v1/<path>.json` next to the dashboard's files, from the same resource
 * functions the server answers with, so the single-page app works from files with relative URLs.
 */
import type Database from 'better-sqlite3';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Context, ServiceSettings } from './context.js';
import { readBenchmarks } from './resources/benchmarks.js';
import { readOverview } from './resources/overview.js';
import { readProjects } from './resources/projects.js';
import { readRoofline } from './resources/roofline.js';
import { readRun, readRuns, RUN_LIST_LIMIT } from './resources/runs.js';
import { readSeries } from './resources/series.js';
import { dashboardDir } from './static-files.js';
import { recomputeStale } from '../store/change-points.js';

/** What was written. */
export interface ExportSummary {
  files: number;
  projects: number;
  series: number;
  runs: number;
}

/** Writes the static dashboard and its data into `out`. */
export function exportStatic(
  db: Database.Database,
  settings: ServiceSettings,
  out: string,
  dashboard = dashboardDir(),
): ExportSummary {
  recomputeStale(db, settings.changePoints);
  const ctx: Context = {
    db,
    settings: { ...settings, readToken: null },
    scheduleChangePoints: () => undefined,
    ingest: () => Promise.reject(new Error('the static export does not store runs')),
  };
  let files = 0;
  const write = (path: string, body: unknown): void => {
    const file = join(out, 'api', 'v1', `${path}.json`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(body));
    files++;
  };
  mkdirSync(out, { recursive: true });
  for (const name of readdirSync(dashboard)) {
    copyFileSync(join(dashboard, name), join(out, name));
    files++;
  }
  writeFileSync(join(out, '.nojekyll'), '');
  const projects = readProjects(ctx);
  write('projects', projects);
  let series = 0;
  let runs = 0;
  for (const p of projects) {
    const project = String(p.id);
    write(`projects/${project}/benchmarks`, readBenchmarks(ctx, { project }));
    write(`projects/${project}/roofline`, readRoofline(ctx, { project }));
    const list = readRuns(ctx, { project });
    write(`projects/${project}/runs`, list);
    for (const r of list.slice(0, RUN_LIST_LIMIT)) {
      write(`runs/${r.id}`, readRun(ctx, { id: r.id }));
      runs++;
    }
    for (const t of p.testbeds) {
      const testbed = String(t.id);
      const overview = readOverview(ctx, { project, testbed });
      write(`projects/${project}/testbeds/${testbed}/overview`, overview);
      for (const row of overview.rows) {
        if (row.latest === null) continue;
        write(
          `projects/${project}/testbeds/${testbed}/benchmarks/${row.id}/series`,
          readSeries(ctx, { project, testbed, benchmark: String(row.id) }),
        );
        series++;
      }
    }
  }
  return { files, projects: projects.length, series, runs };
}
