/**
 * The history service: a node:http server (no framework: a dozen routes, one JSON body type and
 * static files need none) over the SQLite store, serving the JSON API under /api/v1 and the
 * dashboard. Writes need a bearer token; reads too when a read token is set. Every response
 * carries the security headers; a server bound to loopback, or given allowed hosts, refuses other
 * Host names (DNS rebinding), and one bound beyond loopback needs either.
 */
import type Database from 'better-sqlite3';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIPv4, type AddressInfo } from 'node:net';
import { ConfigError } from '../config/parse.js';
import { recomputeSeries, recomputeStale } from '../store/change-points.js';
import { openStore, storeFault } from '../store/open.js';
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
  /** Connection limits (default {@link DEFAULT_SERVER_LIMITS}; tests shorten them). */
  limits?: Partial<ServerLimits>;
}

/** Limits that keep slow or numerous clients from holding the server. */
export interface ServerLimits {
  /** Longest a client may take to send a request's headers. */
  headersTimeoutMs: number;
  /** Longest a client may take to send a whole request, body included. */
  requestTimeoutMs: number;
  /** Most connections open at once; more are closed as they arrive. */
  maxConnections: number;
}

/** Headers within 5 s; a whole upload within 30 s (the 32 MiB limit at about 10 Mbit/s); 256 connections. */
export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 30_000,
  maxConnections: 256,
};

/** A running server. */
export interface RunningServer {
  server: Server;
  /** `http://host:port/`. */
  url: string;
  /** Group commits so far (transactions and the runs they stored) and uploads arriving now. */
  groupCommit: { commits: number; runs: number; arriving: number };
  close: () => Promise<void>;
}

/** Quiet time after the last upload before change points are recomputed in the background. */
const IDLE_MS = 200;

/** True for `localhost` and loopback addresses (127.0.0.0/8, ::1). */
function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || (isIPv4(h) && h.startsWith('127.')) || /^::ffff:127\./.test(h);
}

/** The host name of a Host header: lower case, without port, brackets or a trailing dot. */
function hostnameOf(header: string): string {
  const h = header.trim().toLowerCase();
  const bracketed = /^\[([^\]]*)\](?::\d+)?$/.exec(h);
  return (bracketed ? (bracketed[1] as string) : h.replace(/:\d+$/, '')).replace(/\.$/, '');
}

/** The Host names a server answers, or null when it answers any (bound beyond loopback with a read token). */
function hostCheckOf(host: string, readToken: string | null, allowedHosts: string[] | null): Set<string> | null {
  if (!isLoopback(host) && allowedHosts === null) {
    if (readToken !== null) return null;
    throw new ConfigError(
      `'host' ${host} is beyond loopback, where anyone who can reach this machine could read the history: set 'read-token' (or BENCHGATE_READ_TOKEN, or 'read-token-file') so reads need a token, or 'allowed-hosts' to the host names clients use`,
      'host',
    );
  }
  return new Set([hostnameOf(host), ...(allowedHosts ?? []).map(hostnameOf)]);
}

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
  const { db, host, port, dashboard: _d, limits: _l, ...settings } = options;
  const allowedHosts = hostCheckOf(host, settings.readToken, settings.allowedHosts);
  const limits = { ...DEFAULT_SERVER_LIMITS, ...options.limits };
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
    refreshSeries: (key) => void recomputeSeries(db, key, settings.changePoints),
  };
  // Reads go through a read-only connection: a GET handler cannot write, and sees only committed
  // runs; a stale series is refreshed through the writer first (refreshSeries).
  const reader = db.memory ? db : openStore(db.name, { readonly: true });
  const readCtx: Context = { ...ctx, db: reader };
  // A long-running server keeps the hot pages in memory (SQLite's default is 2 MiB): the batch
  // copy into series_point touches one leaf per benchmark, and series reads walk those leaves.
  for (const connection of new Set([db, reader])) connection.pragma('cache_size = -65536');
  // Each upload used to dirty ~600 pages (~40 since migration 5, plus ~1,000 per 64-run series
  // batch); at SQLite's default (a checkpoint every 1,000 WAL pages) that meant a checkpoint and its
  // fsync every other upload. 16,384 pages lets the WAL grow to ~64 MiB between checkpoints.
  db.pragma('wal_autocheckpoint = 16384');

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (allowedHosts !== null) {
      const hostname = hostnameOf(req.headers.host ?? '');
      if (!isLoopback(hostname) && !allowedHosts.has(hostname))
        throw new HttpError(
          403,
          `unexpected Host header ${JSON.stringify(req.headers.host ?? '')}: this server answers ${settings.allowedHosts === null ? 'on loopback only' : `loopback and ${settings.allowedHosts.join(', ')}`}`,
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
        sendJson(res, 200, found.route.read(readCtx, found.params, url.searchParams));
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

  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Node checks the two timeouts on this interval (30 s by default).
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs / 2),
    },
    (req, res) =>
      void handle(req, res).catch((e: unknown) => {
        if (res.headersSent) return res.destroy();
        // A refusal before the body was read closes the connection instead of reading the body to keep it.
        if (!req.complete) res.setHeader('Connection', 'close');
        if (e instanceof HttpError) return sendError(res, e);
        const fault = storeFault(e, db.name);
        if (fault !== null) {
          process.stderr.write(`benchgate serve: ${req.method} ${req.url}: ${fault.message}\n`);
          const code = String((e as { code?: unknown }).code);
          const status = code.startsWith('SQLITE_FULL') ? 507 : 503;
          return sendError(
            res,
            new HttpError(status, `the server cannot use its history database (${code}): see its log`),
          );
        }
        process.stderr.write(
          `benchgate serve: internal error on ${req.method} ${req.url}: ${(e as Error)?.stack ?? String(e)}\n`,
        );
        sendError(res, new HttpError(500, 'internal error (see the server log)'));
      }),
  );
  server.maxConnections = limits.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => {
      if (reader !== db) reader.close();
      reject(e);
    });
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
        if (reader !== db) reader.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
