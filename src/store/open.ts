/**
 * Opens the SQLite history: refuses files that are not benchgate databases or are damaged (leaving
 * them untouched), then WAL, a busy timeout for concurrent writers, foreign keys, and migrations.
 * A read-only open creates, migrates and writes nothing.
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

/** What the file says it is, read without writing anything. */
interface Identity {
  appId: number;
  version: number;
  tables: number;
}

function inspect(db: Database.Database): Identity {
  return {
    appId: db.pragma('application_id', { simple: true }) as number,
    version: db.pragma('user_version', { simple: true }) as number,
    tables: (db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n,
  };
}

/** Refuses a database that is not benchgate's, or is of a newer schema. */
function checkIdentity(path: string, info: Identity): void {
  if (info.appId !== APPLICATION_ID && (info.appId !== 0 || info.tables > 0 || info.version !== 0)) {
    const why =
      info.appId !== 0
        ? `its application_id is 0x${info.appId.toString(16).padStart(8, '0')}`
        : info.tables > 0
          ? `it has tables but no benchgate marker`
          : `its user_version is ${info.version} but it has no benchgate marker`;
    throw new StoreError(
      `${path} is not a benchgate database: it is an SQLite database of another application (${why}); it was left untouched`,
    );
  }
  if (info.version > LATEST_VERSION) {
    throw new StoreError(
      `${path} has schema version ${info.version}, newer than this benchgate knows (${LATEST_VERSION}): upgrade benchgate`,
    );
  }
}

/**
 * Refuses a damaged database before anything writes to it, which could spread the damage (a page
 * both free and in use). `quick_check` reads every page, so only writers pay for it.
 */
function checkIntegrity(path: string, db: Database.Database): void {
  const rows = db.prepare('PRAGMA quick_check(3)').pluck().all() as string[];
  if (rows[0] === 'ok') return;
  const problems = rows
    .flatMap((r) => r.split('\n'))
    .filter((line) => !line.startsWith('*** in database'))
    .slice(0, 3);
  throw new StoreError(
    `${path} is corrupt (quick_check: ${problems.join('; ')}); it was left untouched: restore a backup, or recover what is readable with sqlite3 ${path} .recover`,
  );
}

/**
 * The StoreError for an SQLite failure that the user must act on, met anywhere while using the
 * database at `path` (a damaged file, a full or failing disk), or null for any other error.
 */
export function storeFault(e: unknown, path: string): StoreError | null {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) {
    return new StoreError(
      `${path} is corrupt (${code}: ${(e as Error).message}); it was left as it was: restore a backup, or recover what is readable with sqlite3 ${path} .recover`,
      null,
      { cause: e },
    );
  }
  if (code.startsWith('SQLITE_FULL')) {
    return new StoreError(
      `cannot write to ${path}: the disk is full (${code}); nothing was stored: free some space and try again`,
      null,
      { cause: e },
    );
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return new StoreError(
      `cannot read or write ${path}: the disk failed (${code}: ${(e as Error).message}); nothing was stored: check the disk, its free space and the file-size limit (ulimit -f)`,
      null,
      { cause: e },
    );
  }
  return null;
}

function explain(path: string, e: unknown): never {
  if (e instanceof StoreError) throw e;
  throw storeFault(e, path) ?? new StoreError(`cannot open ${path}: ${(e as Error).message}`, null, { cause: e });
}

/** Options for `openStore`. */
export interface OpenOptions {
  /** Open without creating, migrating or writing anything (for `token list`, `export` and the server's reads). */
  readonly?: boolean;
}

/**
 * Opens (creating if needed) and migrates the history at `path`; read-only, opens an existing
 * database of the current schema as it is. A writer first checks every page (`quick_check`); a
 * reader cannot spread damage, and meets a damaged page as SQLITE_CORRUPT (see {@link storeFault}).
 */
export function openStore(path: string, options: OpenOptions = {}): Database.Database {
  const readonly = options.readonly ?? false;
  checkHeader(path);
  const exists = existsSync(path) && statSync(path).size > 0;
  if (exists) {
    let db: Database.Database | null = null;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true });
      const info = inspect(db);
      checkIdentity(path, info);
      if (readonly && info.appId !== APPLICATION_ID)
        throw new StoreError(`${path} is not a benchgate history yet (empty)`);
      if (readonly && info.version < LATEST_VERSION) {
        throw new StoreError(
          `${path} has schema version ${info.version}, older than this benchgate's (${LATEST_VERSION}), and is opened read-only: run a command that writes to it once (benchgate serve, run or token create) to bring it forward`,
        );
      }
      if (!readonly) checkIntegrity(path, db);
    } catch (e) {
      explain(path, e);
    } finally {
      db?.close();
    }
  } else if (readonly) {
    throw new StoreError(`${path} does not exist`);
  } else {
    mkdirSync(dirname(path), { recursive: true });
  }
  try {
    const db = new Database(path, { readonly, fileMustExist: readonly });
    db.pragma('busy_timeout = 10000');
    db.pragma('foreign_keys = ON');
    // Checks each page's layout as it is read, so damage met later is reported, not read on.
    db.pragma('cell_size_check = ON');
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      if (db.pragma('application_id', { simple: true }) !== APPLICATION_ID)
        db.pragma(`application_id = ${APPLICATION_ID}`);
      migrate(db);
    }
    return db;
  } catch (e) {
    explain(path, e);
  }
}

/** An in-memory copy of a store opened read-only, for work that must write (recompute change points) without touching the file. */
export function writableCopy(db: Database.Database): Database.Database {
  const image = db.serialize();
  // A WAL database's image opens in memory only as a rollback-journal one (header bytes 18 and 19).
  image[18] = 1;
  image[19] = 1;
  const copy = new Database(image);
  copy.pragma('foreign_keys = ON');
  return copy;
}
