/**
 * The SQLite history, rebuilt from the data branch's run files: every file is stored in
 * chronological order, idempotently by run id, so rebuilding into a cached database only adds
 * the runs it lacks. A file that is not a valid run is skipped with a warning naming it: one bad
 * file must not stop every later job until someone deletes it by hand.
 */
import type { RunReport } from '../model.js';
import { openStore, storeFault } from '../store/open.js';
import { saveRun } from '../store/runs.js';
import { listRunFiles, readRunFile, RunFileError } from './run-files.js';

/** What a rebuild did: files found, runs new to the database, and the files skipped. */
export interface RebuiltHistory {
  files: number;
  added: number;
  skipped: string[];
}

/** A database constraint a run broke (its data, not the database, is at fault). */
const isConstraint = (e: unknown): boolean => String((e as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT');

/** Stores every valid run file under `root` into the database at `dbPath`; `warn` hears of each one skipped. */
export function rebuildHistory(
  root: string,
  dbPath: string,
  warn: (message: string) => void = () => undefined,
): RebuiltHistory {
  const files = listRunFiles(root);
  const db = openStore(dbPath);
  const skipped: string[] = [];
  const skip = (rel: string, why: string) => {
    skipped.push(rel);
    warn(`benchgate: skipped a run file of the data branch: ${why}`);
  };
  try {
    let added = 0;
    for (const rel of files) {
      let report: RunReport;
      try {
        report = readRunFile(root, rel);
      } catch (e) {
        if (!(e instanceof RunFileError)) throw e;
        skip(rel, e.message);
        continue;
      }
      try {
        if (saveRun(db, report)) added++;
      } catch (e) {
        if (!isConstraint(e)) throw e;
        skip(rel, `${rel} cannot be stored: ${(e as Error).message}`);
      }
    }
    return { files: files.length, added, skipped };
  } catch (e) {
    throw storeFault(e, dbPath) ?? e;
  } finally {
    db.close();
  }
}
