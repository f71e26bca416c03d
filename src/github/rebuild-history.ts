/**
 * The SQLite history, rebuilt from the data branch's run files: every file is stored in
 * chronological order, idempotently by run id, so rebuilding into a cached database only adds
 * the runs it lacks.
 */
import { openStore } from '../store/open.js';
import { saveRun } from '../store/runs.js';
import { listRunFiles, readRunFile } from './run-files.js';

/** Stores every run file under `root` into the database at `dbPath`; counts what was new. */
export function rebuildHistory(root: string, dbPath: string): { files: number; added: number } {
  const files = listRunFiles(root);
  const db = openStore(dbPath);
  try {
    let added = 0;
    for (const rel of files) if (saveRun(db, readRunFile(root, rel))) added++;
    return { files: files.length, added };
  } finally {
    db.close();
  }
}
