/**
 * Opens the SQLite history: refuses files that are not benchgate databases (leaving them
 * untouched), then WAL, a busy timeout for concurrent writers, foreign keys, and migrations.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { LATEST_VERSION, migrate } from './migrate.js';
import { UserError } from '../errors.js';

/** A database file benchgate will not open: the message says why; the file is left as it was. */
export class StoreError extends UserError {}

/** Marks a file as benchgate's (`PRAGMA application_id`, the ASCII of "BgAt"). */
export const APPLICATION_ID = 0x42674174;

const SQLITE_HEADER = 'SQLite format 3\u0000';

function checkHeader(path: string): void {
  if (!existsSync(path) || statSync(path).size === 0) return;
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    const n = readSync(fd, buf, 0, 16, 0);
    if (n < 16 || buf.toString('latin1') !== SQLITE_HEADER) {
      throw new StoreError(`${path} is not an SQLite database (wrong file header); it was left untouched`);
    }
  } finally {
    closeSync(fd);
  }
}

/** Reads application id, schema version and table count without writing anything. */
function inspect(path: string): { appId: number; version: number; tables: number } {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return {
      appId: db.pragma('application_id', { simple: true }) as number,
      version: db.pragma('user_version', { simple: true }) as number,
      tables: (db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
}

function explain(path: string, e: unknown): never {
  const code = (e as { code?: string }).code ?? '';
  if (e instanceof StoreError) throw e;
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
    throw new StoreError(`${path} is a corrupt SQLite database (${code}); it was left untouched`);
  }
  throw new StoreError(`cannot open ${path}: ${(e as Error).message}`);
}

/** Options for `openStore`. */
export interface OpenOptions {
  /** Open without creating or migrating (for readers such as the dashboard export). */
  readonly?: boolean;
}

/** Opens (creating if needed) and migrates the history at `path`. */
export function openStore(path: string, options: OpenOptions = {}): Database.Database {
  checkHeader(path);
  const exists = existsSync(path) && statSync(path).size > 0;
  if (exists) {
    let info: ReturnType<typeof inspect>;
    try {
      info = inspect(path);
    } catch (e) {
      explain(path, e);
    }
    if (info.appId !== APPLICATION_ID && info.tables > 0) {
      throw new StoreError(
        `${path} is an SQLite database of another application (it has tables but no benchgate marker); it was left untouched`,
      );
    }
    if (info.version > LATEST_VERSION) {
      throw new StoreError(
        `${path} has schema version ${info.version}, newer than this benchgate knows (${LATEST_VERSION}): upgrade benchgate`,
      );
    }
  } else if (options.readonly) {
    throw new StoreError(`${path} does not exist`);
  } else {
    mkdirSync(dirname(path), { recursive: true });
  }
  try {
    const db = new Database(path, { readonly: options.readonly ?? false });
    db.pragma('busy_timeout = 10000');
    db.pragma('foreign_keys = ON');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma(`application_id = ${APPLICATION_ID}`);
      migrate(db);
    }
    return db;
  } catch (e) {
    explain(path, e);
  }
}
