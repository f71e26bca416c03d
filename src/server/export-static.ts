/**
 * `benchgate export`: the dashboard as static files (for GitHub Pages). Every GET the dashboard
 * makes is written as `api/v1/<path>.json` next to the dashboard's files, from the same resource
 * functions the server answers with, so the single-page app works from files with relative URLs.
 * A run whose id is not a safe file name is left out and named in the summary.
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
import type { Overview } from '../model.js';
import { recomputeSeries, recomputeStale } from '../store/change-points.js';
import { writableCopy } from '../store/open.js';
import { staleSeries } from '../store/series.js';
import { RUN_ID } from '../validate/run.js';

/** What was written. */
export interface ExportSummary {
  files: number;
  projects: number;
  series: number;
  runs: number;
  /** Ids of runs left out because they cannot be file names. */
  skipped: string[];
}

/** Writes the static dashboard and its data into `out`. */
export function exportStatic(
  store: Database.Database,
  settings: ServiceSettings,
  out: string,
  dashboard = dashboardDir(),
): ExportSummary {
  // Stale change points are recomputed in a copy when the store is opened read-only.
  const db = store.readonly && staleSeries(store, 1).length > 0 ? writableCopy(store) : store;
  try {
    return exportFrom(db, settings, out, dashboard);
  } finally {
    if (db !== store) db.close();
  }
}

function exportFrom(db: Database.Database, settings: ServiceSettings, out: string, dashboard: string): ExportSummary {
  if (!db.readonly) recomputeStale(db, settings.changePoints);
  const ctx: Context = {
    db,
    settings: { ...settings, readToken: null },
    scheduleChangePoints: () => undefined,
    refreshSeries: (key) => {
      if (!db.readonly) recomputeSeries(db, key, settings.changePoints);
    },
    ingest: () => Promise.reject(new Error('the static export does not store runs')),
  };
  const skipped: string[] = [];
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
    const all = readRuns(ctx, { project });
    const list = all.filter((r) => RUN_ID.test(r.id));
    skipped.push(...all.filter((r) => !RUN_ID.test(r.id)).map((r) => r.id));
    write(`projects/${project}/runs`, list);
    for (const r of list.slice(0, RUN_LIST_LIMIT)) {
      write(`runs/${r.id}`, readRun(ctx, { id: r.id }));
      runs++;
    }
    for (const t of p.testbeds) {
      const testbed = String(t.id);
      const overview = readOverview(ctx, { project, testbed }) as Overview;
      const overviewPath = `projects/${project}/testbeds/${testbed}/overview`;
      write(overviewPath, overview);
      // The other measures' overviews, at the path the dashboard's selector asks for them.
      for (const measure of overview.measures ?? [])
        if (measure !== 'time') write(`${overviewPath}/${measure}`, readOverview(ctx, { project, testbed, measure }));
      for (const row of overview.rows) {
        if (row.latest === null) continue;
        const path = `projects/${project}/testbeds/${testbed}/benchmarks/${row.id}/series`;
        const params = { project, testbed, benchmark: String(row.id) };
        const time = readSeries(ctx, params);
        write(path, time);
        // The other measures it has, at the path the dashboard asks for them.
        for (const measure of time.measures ?? [])
          if (measure !== 'time') write(`${path}/${measure}`, readSeries(ctx, { ...params, measure }));
        series++;
      }
    }
  }
  return { files, projects: projects.length, series, runs, skipped };
}
