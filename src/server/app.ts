/**
 * The history service: a node:http server (no framework: a dozen routes, one JSON body type and
 * static files need none) over the SQLite store, serving the JSON API under /api/v1 and the
 * dashboard. Writes need a bearer token; reads too when a read token is set. Every response
 * carries the security headers; a server bound to loopback refuses other Host names (DNS
 * rebinding).
 */
import type Database from 'better-sqlite3';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { recomputeStale } from '../store/change-points.js';
import { GroupCommit } from './ingest/group-commit.js';
import { sameSecret, verifyToken } from '../store/tokens.js';
import type { Context, ServiceSettings } from './context.js';
import { HttpError, readJsonBody, SECURITY_HEADERS, sendError, sendJson } from './http.js';
import { API_PREFIX, matchRoutes } from './routes.js';
import { loadDashboard, type StaticFile } from './static-files.js';

/** Options of `startServer`. */
export interface ServerOptions extends ServiceSettings {
  db: Database.Database;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Dashboard files (default: the built dist/dashboard). */
  dashboard?: Map<string, StaticFile>;
}

/** A running server. */
export interface RunningServer {
  server: Server;
  /** `http://host:port/`. */
  url: string;
  /** Group commits so far: transactions and the runs they stored. */
  groupCommit: { commits: number; runs: number };
  close: () => Promise<void>;
}

/** Quiet time after the last upload before change points are recomputed in the background. */
const IDLE_MS = 200;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function bearer(req: IncomingMessage): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m ? (m[1] as string) : null;
}

const unauthorized = (what: string): HttpError =>
  new HttpError(401, what, { 'WWW-Authenticate': 'Bearer realm="benchgate"' });

function authorise(ctx: Context, req: IncomingMessage, write: boolean): void {
  const token = bearer(req);
  if (write) {
    if (token === null)
      throw unauthorized(
        'writing needs an API token: send Authorization: Bearer <token> (create one with benchgate token create --name NAME)',
      );
    if (verifyToken(ctx.db, token) === null) throw unauthorized('the API token is not valid (unknown or revoked)');
    return;
  }
  if (ctx.settings.readToken === null) return;
  if (token === null) throw unauthorized('reading needs the read token: send Authorization: Bearer <token>');
  if (!sameSecret(token, ctx.settings.readToken) && verifyToken(ctx.db, token) === null)
    throw unauthorized('the read token is not valid');
}

/** Starts the server and resolves once it listens. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const dashboard = options.dashboard ?? loadDashboard();
  const { db, host, port, dashboard: _d, ...settings } = options;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  // Change points are recomputed once writes pause for IDLE_MS, in slices of ~25 ms between
  // requests, so a burst of uploads is not slowed by recomputing the same series after every run
  // and reads stay responsive; a series read before its turn is recomputed on the spot.
  const drain = (): void => {
    timer = null;
    if (closed) return;
    const done = recomputeStale(db, settings.changePoints, 25);
    if (done > 0) timer = setTimeout(drain, 1);
  };
  // Uploads whose bodies arrive together are stored in one transaction (see group-commit.ts).
  const uploads = new GroupCommit(db, settings.branch);
  const ctx: Context = {
    db,
    settings,
    ingest: (report) => uploads.submit(report),
    scheduleChangePoints: () => {
      if (closed) return;
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(drain, IDLE_MS);
    },
  };
  const checkHost = LOOPBACK.has(host);
  // A long-running server keeps the hot pages in memory (SQLite's default is 2 MiB): the batch
  // copy into series_point touches one leaf per benchmark, and series reads walk those leaves.
  db.pragma('cache_size = -65536');
  // Each upload used to dirty ~600 pages (~40 since migration 5, plus ~1,000 per 64-run series
  // batch); at SQLite's default (a checkpoint every 1,000 WAL pages) that meant a checkpoint and its
  // fsync every other upload. 16,384 pages lets the WAL grow to ~64 MiB between checkpoints.
  db.pragma('wal_autocheckpoint = 16384');

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (checkHost) {
      const hostname = (req.headers.host ?? '').replace(/:\d+$/, '');
      if (!LOOPBACK.has(hostname))
        throw new HttpError(
          403,
          `unexpected Host header ${JSON.stringify(req.headers.host ?? '')}: this server answers on loopback only`,
        );
    }
    const path = url.pathname;
    if (path === API_PREFIX || path.startsWith(`${API_PREFIX}/`)) {
      const sub = path.slice(API_PREFIX.length).replace(/\.json$/, '');
      const matches = matchRoutes(sub);
      if (matches.length === 0) throw new HttpError(404, `no such endpoint: ${req.method} ${path}`);
      const found = matches.find((m) => m.route.method === req.method);
      if (!found)
        throw new HttpError(405, `${req.method} is not allowed on ${path}`, {
          Allow: [...new Set(matches.map((m) => m.route.method))].join(', '),
        });
      if (found.route.write) {
        authorise(ctx, req, true);
        // The upload counts as arriving until its handler has queued its run (the synchronous
        // part of `write`), so a group commit waits for it instead of committing without it.
        uploads.begin();
        let pending: ReturnType<typeof found.route.write>;
        try {
          const body = await readJsonBody(req, settings.maxBodyBytes);
          pending = found.route.write(ctx, found.params, body, req);
        } finally {
          uploads.end();
        }
        const out = await pending;
        sendJson(res, out.status, out.body);
      } else if (found.route.read) {
        authorise(ctx, req, false);
        sendJson(res, 200, found.route.read(ctx, found.params));
      }
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      throw new HttpError(405, `${req.method} is not allowed on ${path}`, { Allow: 'GET, HEAD' });
    const file = dashboard.get(path === '/' ? '/index.html' : path);
    if (!file) throw new HttpError(404, `no such file: ${path}`);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': file.type,
      'Content-Length': file.body.length,
      'Cache-Control': 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent) return res.destroy();
      if (e instanceof HttpError) return sendError(res, e);
      process.stderr.write(
        `benchgate serve: internal error on ${req.method} ${req.url}: ${(e as Error)?.stack ?? String(e)}\n`,
      );
      sendError(res, new HttpError(500, 'internal error (see the server log)'));
    });
  });
  server.requestTimeout = 120_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  ctx.scheduleChangePoints(); // series left stale by a previous run or by the CLI
  return {
    server,
    url: `http://${shownHost}:${address.port}/`,
    groupCommit: uploads.stats,
    close: () =>
      new Promise((resolve) => {
        closed = true;
        if (timer) clearTimeout(timer);
        uploads.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
