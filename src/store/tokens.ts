/**
 * API tokens: a token is 32 random bytes (base64url, prefixed `bg_`), shown once; the store
 * keeps only its SHA-256, and checks compare digests in constant time.
 */
import type Database from 'better-sqlite3';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { StoreError } from './open.js';

/** A stored token's public facts (never the token). */
export interface TokenInfo {
  id: number;
  name: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

const digest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/** Creates a token called `name`; returns the token itself, which is not stored anywhere. */
export function createToken(db: Database.Database, name: string): { token: string; info: TokenInfo } {
  if (!/^[\w.@:-]{1,64}$/.test(name)) {
    throw new StoreError(`token name must be 1 to 64 letters, digits or . _ - @ : but got ${JSON.stringify(name)}`);
  }
  if (db.prepare('SELECT 1 FROM api_token WHERE name = ? AND revoked_at IS NULL').get(name)) {
    throw new StoreError(`a token named '${name}' already exists: revoke it first or choose another name`);
  }
  const token = `bg_${randomBytes(32).toString('base64url')}`;
  const createdAt = new Date().toISOString();
  const id = Number(
    db
      .prepare('INSERT INTO api_token (name, token_hash, created_at) VALUES (?, ?, ?)')
      .run(name, digest(token).toString('hex'), createdAt).lastInsertRowid,
  );
  return { token, info: { id, name, createdAt, revokedAt: null, lastUsedAt: null } };
}

/** Revokes the active token with this name, or with this id when `nameOrId` is all digits. */
export function revokeToken(db: Database.Database, nameOrId: string): TokenInfo {
  const byId = /^\d+$/.test(nameOrId);
  const row = db
    .prepare(
      `SELECT id, name, created_at, last_used_at FROM api_token WHERE ${byId ? 'id = ?' : 'name = ?'} AND revoked_at IS NULL`,
    )
    .get(byId ? Number(nameOrId) : nameOrId) as
    { id: number; name: string; created_at: string; last_used_at: string | null } | undefined;
  if (!row) throw new StoreError(`no active token ${byId ? 'with id' : 'named'} '${nameOrId}'`);
  const revokedAt = new Date().toISOString();
  db.prepare('UPDATE api_token SET revoked_at = ? WHERE id = ?').run(revokedAt, row.id);
  return { id: row.id, name: row.name, createdAt: row.created_at, revokedAt, lastUsedAt: row.last_used_at };
}

/** Lists every token ever created (active first). */
export function listTokens(db: Database.Database): TokenInfo[] {
  const rows = db
    .prepare('SELECT id, name, created_at, revoked_at, last_used_at FROM api_token ORDER BY revoked_at IS NOT NULL, id')
    .all() as Record<string, unknown>[];
  return rows.map((r) => ({
    id: r.id as number,
    name: r.name as string,
    createdAt: r.created_at as string,
    revokedAt: r.revoked_at as string | null,
    lastUsedAt: r.last_used_at as string | null,
  }));
}

/**
 * The active token matching `presented`, or null. Every active digest is compared with
 * `timingSafeEqual`, so the time taken says nothing about how close a guess came. Records the
 * use, to the minute.
 */
export function verifyToken(db: Database.Database, presented: string): TokenInfo | null {
  const wanted = digest(presented);
  const rows = db
    .prepare('SELECT id, name, token_hash, created_at, last_used_at FROM api_token WHERE revoked_at IS NULL')
    .all() as {
    id: number;
    name: string;
    token_hash: string;
    created_at: string;
    last_used_at: string | null;
  }[];
  let match: (typeof rows)[number] | null = null;
  for (const row of rows) {
    if (timingSafeEqual(Buffer.from(row.token_hash, 'hex'), wanted) && match === null) match = row;
  }
  if (match === null) return null;
  const now = Date.now();
  // Recorded to the minute: a write transaction of its own for every upload cost more than the
  // upload's other small statements together, and "last used" needs no finer grain.
  if (match.last_used_at !== null && now - Date.parse(match.last_used_at) < LAST_USED_GRAIN_MS) {
    return {
      id: match.id,
      name: match.name,
      createdAt: match.created_at,
      revokedAt: null,
      lastUsedAt: match.last_used_at,
    };
  }
  const usedAt = new Date(now).toISOString();
  db.prepare('UPDATE api_token SET last_used_at = ? WHERE id = ?').run(usedAt, match.id);
  return { id: match.id, name: match.name, createdAt: match.created_at, revokedAt: null, lastUsedAt: usedAt };
}

/** How stale a token's recorded `last_used_at` may be (it is rewritten at most this often). */
export const LAST_USED_GRAIN_MS = 60_000;

/** Constant-time equality of two secrets of any length (compares their digests). */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}
