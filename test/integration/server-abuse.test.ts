/**
 * The service under abuse, over real HTTP on 127.0.0.1: oversized chunked uploads, bodies sent
 * after a refusal, trickled headers and bodies, too many connections, hostile nesting and binding
 * beyond loopback.
 */
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { ConfigError } from '../../src/config/parse.js';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server/app.js';
import { DEFAULT_CHANGE_POINTS } from '../../src/store/change-points.js';
import { openStore } from '../../src/store/open.js';
import { createToken } from '../../src/store/tokens.js';
import { tempDir } from '../helpers.js';
import { historyRunAt } from '../fixtures/server/history.js';

interface Served {
  db: Database.Database;
  server: RunningServer;
  token: string;
  host: string;
  port: number;
}

const running: Served[] = [];

afterEach(async () => {
  for (const s of running.splice(0)) {
    await s.server.close();
    s.db.close();
  }
});

async function serve(over: Partial<ServerOptions> = {}): Promise<Served> {
  const db = openStore(join(tempDir(), 'history.db'));
  const { token } = createToken(db, 'ci');
  const server = await startServer({
    db,
    host: '127.0.0.1',
    port: 0,
    branch: 'main',
    repositoryUrl: null,
    readToken: null,
    allowedHosts: null,
    maxBodyBytes: 64 * 1024,
    changePoints: DEFAULT_CHANGE_POINTS,
    ...over,
  });
  const u = new URL(server.url);
  const s = { db, server, token, host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port) };
  running.push(s);
  return s;
}

function post(s: Served, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(new URL('api/v1/runs', s.server.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${s.token}`, ...headers },
    body,
  });
}

/** Sends `bytes` of body with chunked transfer encoding; resolves with the status (or the error, if none came). */
function chunkedUpload(
  s: Served,
  bytes: number,
): Promise<{ status: number | null; body: string; error: string | null }> {
  return new Promise((resolve) => {
    let status: number | null = null;
    let body = '';
    const req = request({
      host: s.host,
      port: s.port,
      path: '/api/v1/runs',
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${s.token}` },
    });
    req.on('response', (res) => {
      status = res.statusCode ?? null;
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status, body, error: null }));
      res.on('error', () => resolve({ status, body, error: null }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ status, body, error: e.code ?? e.message }));
    const chunk = Buffer.alloc(16 * 1024, ' ');
    let sent = 0;
    const pump = (): void => {
      while (sent < bytes && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}

/** What a raw client saw and what the server read from its connection. */
interface RawOutcome {
  response: string;
  /** Bytes the server read from the connection before it closed. */
  serverRead: number;
}

/** Sends `head` then up to `bodyBytes` of body as fast as the connection takes them, until either side closes. */
async function rawUpload(s: Served, head: string, bodyBytes: number): Promise<RawOutcome> {
  const accepted = new Promise<Socket>((resolve) => s.server.server.once('connection', resolve));
  const socket = connect(s.port, s.host);
  let response = '';
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => (response += d));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  const serverSide = await accepted;
  const serverClosed = new Promise<void>((resolve) => serverSide.on('close', () => resolve()));
  socket.write(head);
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let sent = 0;
  const pump = (): void => {
    while (sent < bodyBytes && !socket.destroyed) {
      sent += chunk.length;
      if (!socket.write(chunk)) return void socket.once('drain', pump);
    }
    if (!socket.destroyed) socket.end();
  };
  pump();
  await closed;
  await serverClosed;
  return { response, serverRead: serverSide.bytesRead };
}

/** Milliseconds until the server closes a connection that sends `first`, then one byte of `rest` every 100 ms. */
async function trickle(s: Served, first: string, rest: string): Promise<{ ms: number; response: string }> {
  const socket = connect(s.port, s.host);
  let response = '';
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => (response += d));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const start = performance.now();
  socket.write(first);
  let i = 0;
  const timer = setInterval(() => {
    if (!socket.destroyed) socket.write(rest[i++ % rest.length] as string);
  }, 100);
  await new Promise<void>((resolve) => socket.on('close', () => resolve()));
  clearInterval(timer);
  return { ms: performance.now() - start, response };
}

describe('an oversized chunked upload', () => {
  it('is answered 413 (not a reset), and the uploads after it are not held back', async () => {
    const s = await serve();
    const out = await chunkedUpload(s, 1024 * 1024);
    expect(out.error).toBeNull();
    expect(out.status).toBe(413);
    expect(JSON.parse(out.body).error).toMatch(/larger than the limit of 65536 bytes/);
    // An upload still counted as arriving would make every later one wait out the group commit window.
    expect(s.server.groupCommit.arriving).toBe(0);
    for (let i = 0; i < 3; i++) expect((await post(s, JSON.stringify(historyRunAt(i, 3)))).status).toBe(201);
    expect(s.server.groupCommit).toMatchObject({ commits: 3, runs: 3, arriving: 0 });
  });
});

describe('a body sent after a refusal', () => {
  const body = 40 * 1024 * 1024;
  const head = (headers: string): string => `POST /api/v1/runs HTTP/1.1\r\n${headers}Content-Length: ${body}\r\n\r\n`;

  it.each([
    ['401 without a token', 401, (_: Served) => 'Host: 127.0.0.1\r\nContent-Type: application/json\r\n'],
    [
      '415 for another content type',
      415,
      (s: Served) => `Host: 127.0.0.1\r\nAuthorization: Bearer ${s.token}\r\nContent-Type: text/plain\r\n`,
    ],
    [
      '403 for a foreign Host',
      403,
      (s: Served) => `Host: evil.example\r\nAuthorization: Bearer ${s.token}\r\nContent-Type: application/json\r\n`,
    ],
    [
      '413 for a declared length over the limit',
      413,
      (s: Served) => `Host: 127.0.0.1\r\nAuthorization: Bearer ${s.token}\r\nContent-Type: application/json\r\n`,
    ],
  ])('is not read: %s closes the connection', async (_name, status, headers) => {
    const s = await serve();
    const out = await rawUpload(s, head(headers(s)), body);
    expect(out.response).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
    expect(out.response).toMatch(/\r\nConnection: close\r\n/i);
    expect(out.serverRead).toBeLessThan(1024 * 1024);
  });

  it('keeps the connection of a refused read without a body alive', async () => {
    const s = await serve();
    const socket = connect(s.port, s.host);
    let response = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (response += d));
    socket.write('GET /api/v1/runs/nope HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    socket.write('GET /api/v1/projects HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 300));
    socket.destroy();
    expect(response).toMatch(/^HTTP\/1.1 404 /);
    expect(response).toMatch(/HTTP\/1.1 200 OK[\s\S]*\[\]$/);
  });
});

describe('slow clients', () => {
  const limits = { headersTimeoutMs: 500, requestTimeoutMs: 1000, maxConnections: 4 };

  it('closes a connection that trickles its headers within the header timeout', async () => {
    const s = await serve({ limits });
    const out = await trickle(s, 'GET /api/v1/projects HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'X-Slow: aaaaaaaaaa\r\n');
    expect(out.ms).toBeLessThan(2500);
    expect(out.response).not.toMatch(/ 200 OK/);
  });

  it('closes an upload that trickles its body within the request timeout', async () => {
    const s = await serve({ limits });
    const out = await trickle(
      s,
      `POST /api/v1/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${s.token}\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n`,
      ' ',
    );
    expect(out.ms).toBeLessThan(3500);
    expect(out.response).not.toMatch(/ 20\d /);
  });

  it('holds at most maxConnections connections and serves again once they go', async () => {
    const s = await serve({ limits: { ...limits, headersTimeoutMs: 5000, requestTimeoutMs: 10_000 } });
    const open: Socket[] = [];
    for (let i = 0; i < limits.maxConnections; i++) {
      const socket = connect(s.port, s.host);
      socket.on('error', () => undefined);
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.write('GET / HTTP/1.1\r\n');
      open.push(socket);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    const extra = connect(s.port, s.host);
    extra.on('error', () => undefined);
    let answered = '';
    extra.on('data', (d: Buffer) => (answered += d.toString()));
    const closedAt = await new Promise<number>((resolve) => {
      const start = performance.now();
      extra.on('close', () => resolve(performance.now() - start));
      extra.once('connect', () => extra.write('GET /api/v1/projects HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
    });
    expect(closedAt).toBeLessThan(1000);
    expect(answered).toBe('');
    for (const socket of open) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await fetch(new URL('api/v1/projects', s.server.url))).status).toBe(200);
  });
});

describe('free-form fields', () => {
  const deep = (levels: number): string => '{"a":'.repeat(levels) + '{}' + '}'.repeat(levels);

  it('answers 422 naming the field for 50,000-deep verdict details or settings', async () => {
    const s = await serve({ maxBodyBytes: 1024 * 1024 });
    const run = historyRunAt(0, 1) as unknown as {
      benchmarks: { verdict: { details: unknown } }[];
      settings: unknown;
    };
    run.benchmarks[1]!.verdict.details = '@DEEP@';
    const res = await post(s, JSON.stringify(run).replace('"@DEEP@"', deep(50_000)));
    expect(res.status).toBe(422);
    expect((await res.json()).error).toMatch(/^benchmarks\[1\]\.verdict\.details must be .*at most 32 levels deep/);
    const settings = { ...historyRunAt(1, 2), settings: '@DEEP@' };
    const res2 = await post(s, JSON.stringify(settings).replace('"@DEEP@"', deep(50_000)));
    expect(res2.status).toBe(422);
    expect((await res2.json()).error).toMatch(/^settings must be .*at most 32 levels deep/);
    expect(s.db.prepare('SELECT count(*) FROM run').pluck().get()).toBe(0);
  });

  it('answers 422 for details larger than the limit, and stores 32 levels', async () => {
    const s = await serve({ maxBodyBytes: 1024 * 1024 });
    const run = historyRunAt(0, 1) as unknown as { benchmarks: { verdict: { details: unknown } }[] };
    run.benchmarks[0]!.verdict.details = { note: 'x'.repeat(100_000) };
    const big = await post(s, JSON.stringify(run));
    expect(big.status).toBe(422);
    expect((await big.json()).error).toMatch(/^benchmarks\[0\]\.verdict\.details must be .*at most 16384 characters/);
    run.benchmarks[0]!.verdict.details = '@DEEP@';
    expect((await post(s, JSON.stringify(run).replace('"@DEEP@"', deep(31)))).status).toBe(201);
  });
});

describe('binding beyond loopback', () => {
  it('is refused without a read token or allowed hosts', async () => {
    await expect(serve({ host: '0.0.0.0' })).rejects.toThrow(ConfigError);
    await expect(serve({ host: '0.0.0.0' })).rejects.toThrow(/beyond loopback.*'read-token'.*'allowed-hosts'/);
  });

  it('checks the Host header against the allowed hosts', async () => {
    const s = await serve({ host: '0.0.0.0', allowedHosts: ['bench.example.org'] });
    const status = (host: string): Promise<number> =>
      new Promise((resolve, reject) => {
        request({ host: '127.0.0.1', port: s.port, path: '/api/v1/projects', headers: { Host: host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
    expect(await status(`bench.example.org:${s.port}`)).toBe(200);
    expect(await status('BENCH.example.org')).toBe(200);
    expect(await status('evil.example')).toBe(403);
    expect(await status(`127.0.0.1:${s.port}`)).toBe(200);
  });

  it('serves with a read token, reads needing it', async () => {
    const s = await serve({ host: '0.0.0.0', readToken: 'reader-secret-123' });
    const url = `http://127.0.0.1:${s.port}/api/v1/projects`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { Authorization: 'Bearer reader-secret-123' } })).status).toBe(200);
  });

  it('lets a loopback server behind a proxy answer an allowed Host', async () => {
    const s = await serve({ allowedHosts: ['bench.example.org'] });
    const res = await fetch(new URL('api/v1/projects', s.server.url));
    expect(res.status).toBe(200);
    const status = await new Promise<number>((resolve, reject) => {
      request({ host: s.host, port: s.port, path: '/api/v1/projects', headers: { Host: 'bench.example.org' } }, (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(200);
  });
});
