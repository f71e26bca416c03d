/** Stored roofline reports: the latest one per project is what the dashboard shows. */
import type Database from 'better-sqlite3';
import type { RooflineSummary, StoredRoofline } from '../model.js';
import { projectId } from './runs.js';

/** Stores a report for the project (created if new); returns its id. */
export function saveRoofline(db: Database.Database, project: string, report: RooflineSummary): number {
  return db.transaction(() => {
    const pid = projectId(db, project);
    return Number(
      db
        .prepare('INSERT INTO roofline_report (project_id, received_at, report_json) VALUES (?, ?, ?)')
        .run(pid, new Date().toISOString(), JSON.stringify(report)).lastInsertRowid,
    );
  })();
}

/** The project's latest report, or null when none is stored. */
export function latestRoofline(db: Database.Database, projectId: number): StoredRoofline | null {
  const row = db
    .prepare('SELECT received_at, report_json FROM roofline_report WHERE project_id = ? ORDER BY id DESC LIMIT 1')
    .get(projectId) as { received_at: string; report_json: string } | undefined;
  return row ? { receivedAt: row.received_at, report: JSON.parse(row.report_json) as RooflineSummary } : null;
}
