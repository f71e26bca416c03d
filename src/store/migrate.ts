/** Applies pending migrations, each in its own transaction, up to a target version. */
import type Database from 'better-sqlite3';
import { migrations, type Migration } from './migrations/index.js';

/** The schema version this build of benchgate writes. */
export const LATEST_VERSION = migrations.length;

/** Runs the migrations after the database's `user_version`, up to `target` (default: all). */
export function migrate(
  db: Database.Database,
  target: number = LATEST_VERSION,
  list: Migration[] = migrations,
): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const m of list) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return db.pragma('user_version', { simple: true }) as number;
}
