import { join } from 'node:path';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { listTokens, verifyToken } from '../../src/store/tokens.js';
import { ingestRun } from '../../src/server/ingest/ingest.js';
import { saveRun } from '../../src/store/runs.js';
import { runCli, tempDir } from '../helpers.js';
import { historyRunAt } from '../fixtures/server/history.js';

describe('benchgate token', () => {
  it('creates a token printed once and stored hashed, and revokes it by name or id', async () => {
    const cwd = tempDir();
    const db = join(cwd, 'h.db');
    const created = await runCli(['token', 'create', '--name', 'ci', '--db', db], { cwd });
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^bg_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toMatch(/shown only this once/);
    const store = openStore(db);
    try {
      const row = store.prepare('SELECT token_hash FROM api_token').get() as { token_hash: string };
      expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(readFileSync(db).includes(Buffer.from(token))).toBe(false);
      expect(verifyToken(store, token)?.name).toBe('ci');
      const dup = await runCli(['token', 'create', '--name', 'ci', '--db', db], { cwd });
      expect(dup.code).toBe(2);
      expect(dup.stderr).toMatch(/already exists/);
      expect((await runCli(['token', 'revoke', '--name', 'ci', '--db', db], { cwd })).code).toBe(0);
      expect(verifyToken(store, token)).toBeNull();
      const second = (await runCli(['token', 'create', '--name', 'ci', '--db', db], { cwd })).stdout.trim();
      const id = listTokens(store).find((t) => t.revokedAt === null)?.id;
      expect((await runCli(['token', 'revoke', '--id', String(id), '--db', db], { cwd })).code).toBe(0);
      expect(verifyToken(store, second)).toBeNull();
      const none = await runCli(['token', 'revoke', '--name', 'nobody', '--db', db], { cwd });
      expect(none.code).toBe(2);
      expect(none.stderr).toMatch(/no active token named 'nobody'/);
      expect((await runCli(['token', 'create', '--db', db], { cwd })).stderr).toMatch(/'name' is required/);
    } finally {
      store.close();
    }
  });
});

describe('benchgate export and serve', () => {
  it('exports the dashboard and its JSON as static files', async () => {
    const cwd = tempDir();
    const dbPath = join(cwd, 'h.db');
    const db = openStore(dbPath);
    for (let i = 0; i < 40; i++) ingestRun(db, historyRunAt(i, 40), 'main');
    db.close();
    const r = await runCli(
      ['export', '--out', 'site', '--db', dbPath, '--repository-url', 'https://github.com/example/demo'],
      { cwd },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const f of [
      'index.html',
      'app.js',
      'app.css',
      'api/v1/projects.json',
      'api/v1/projects/1/testbeds/1/overview.json',
      'api/v1/runs/run-00039.json',
    ]) {
      expect(existsSync(join(cwd, 'site', f)), f).toBe(true);
    }
    const series = JSON.parse(
      readFileSync(join(cwd, 'site/api/v1/projects/1/testbeds/1/benchmarks/1/series.json'), 'utf8'),
    );
    expect(series.repositoryUrl).toBe('https://github.com/example/demo');
    expect(series.changePoints.map((c: { position: number }) => c.position)).toEqual([30]);
    expect((await runCli(['export', '--db', dbPath], { cwd })).stderr).toMatch(/'out' is required/);
    expect(
      (await runCli(['export', '--out', 'x', '--repository-url', 'javascript:alert(1)', '--db', dbPath], { cwd }))
        .stderr,
    ).toMatch(/'repository-url' must be an http\(s\) URL/);
  });

  it('serve binds 127.0.0.1 and answers the API', async () => {
    const cwd = tempDir();
    const { spawn } = await import('node:child_process');
    const { CLI } = await import('../helpers.js');
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--db', join(cwd, 'h.db')], { cwd });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
          if (m) resolve(m[1] as string);
        });
        child.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
      });
      expect(await (await fetch(new URL('api/v1/projects', url))).json()).toEqual([]);
    } finally {
      child.kill('SIGTERM');
    }
  });
});

/** Starts `benchgate serve ...args`; resolves with its URL once it listens, or with its exit when it stops first. */
async function startServe(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ url: string | null; code: number | null; stderr: string; stop: () => void }> {
  const { spawn } = await import('node:child_process');
  const { CLI } = await import('../helpers.js');
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], {
    cwd,
    env: { ...process.env, ...env },
  });
  const stop = (): void => void child.kill('SIGTERM');
  return new Promise((resolve) => {
    let out = '';
    let stderr = '';
    const timer = setTimeout(() => resolve({ url: null, code: null, stderr, stop }), 10_000);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /at (http:\/\/[^ ]+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1] as string, code: null, stderr, stop });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ url: null, code, stderr, stop });
    });
  });
}

describe('serve beyond loopback and its read token', () => {
  it('refuses to bind beyond loopback without a read token or allowed hosts (exit 2)', async () => {
    const cwd = tempDir();
    const s = await startServe(['--host', '0.0.0.0', '--db', join(cwd, 'h.db')], cwd);
    s.stop();
    expect(s.url).toBeNull();
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/'host' 0\.0\.0\.0 is beyond loopback.*'read-token'.*'allowed-hosts'/);
  });

  it('binds beyond loopback with allowed hosts', async () => {
    const cwd = tempDir();
    const s = await startServe(
      ['--host', '0.0.0.0', '--allowed-hosts', 'bench.example.org', '--db', join(cwd, 'h.db')],
      cwd,
    );
    try {
      expect(s.stderr).toBe('');
      expect(s.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/$/);
    } finally {
      s.stop();
    }
  });

  it.each([
    [
      'BENCHGATE_READ_TOKEN',
      (_dir: string) => [],
      { BENCHGATE_READ_TOKEN: 'from-the-environment-1' },
      'from-the-environment-1',
    ],
    [
      '--read-token-file',
      (dir: string) => {
        writeFileSync(join(dir, 'token'), 'from-a-file-2\n', { mode: 0o600 });
        return ['--read-token-file', 'token'];
      },
      {},
      'from-a-file-2',
    ],
  ])('takes the read token from %s', async (_name, args, env, token) => {
    const cwd = tempDir();
    const s = await startServe([...args(cwd), '--db', join(cwd, 'h.db')], cwd, env);
    try {
      expect(s.stderr).toBe('');
      const url = new URL('api/v1/projects', s.url ?? 'http://invalid/');
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      s.stop();
    }
  });

  it('refuses a read token given two ways, and an empty token file, without showing the token', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'token'), 'secret-token-3\n');
    writeFileSync(join(cwd, 'empty'), '\n');
    const both = await runCli(['serve', '--read-token', 'x-secret', '--read-token-file', 'token'], { cwd });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/'read-token' and 'read-token-file' are both set/);
    const empty = await runCli(['serve', '--read-token-file', 'empty'], { cwd });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/'read-token-file' must be a token without spaces \(value not shown\)/);
    const missing = await runCli(['serve', '--read-token-file', 'nope'], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/'read-token-file' cannot be read: ENOENT/);
  });
});

describe('the store behind the commands', () => {
  /** A store of 40 history runs, checkpointed into its main file. */
  function storeOf40(cwd: string): string {
    const path = join(cwd, 'h.db');
    const db = openStore(path);
    for (let i = 0; i < 40; i++) ingestRun(db, historyRunAt(i, 40), 'main');
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    return path;
  }

  it('token list and export open it read-only: a missing file is not created, an existing one is left byte for byte', async () => {
    const cwd = tempDir();
    for (const args of [
      ['token', 'list'],
      ['export', '--out', 'site'],
    ]) {
      const r = await runCli([...args, '--db', 'missing.db'], { cwd });
      expect(r.code, args[0]).toBe(2);
      expect(r.stderr).toMatch(/missing\.db does not exist/);
      expect(existsSync(join(cwd, 'missing.db'))).toBe(false);
    }
    const path = storeOf40(cwd);
    const before = readFileSync(path);
    const list = await runCli(['token', 'list', '--db', path], { cwd });
    expect(list.code).toBe(0);
    const exported = await runCli(['export', '--out', 'site', '--db', path], { cwd });
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    // The series are stale (ingested without recomputing): the export computed them in memory.
    const series = JSON.parse(
      readFileSync(join(cwd, 'site/api/v1/projects/1/testbeds/1/benchmarks/1/series.json'), 'utf8'),
    );
    expect(series.changePoints.map((c: { position: number }) => c.position)).toEqual([30]);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('export skips a run whose id cannot be a file name, and names it', async () => {
    const cwd = tempDir();
    const path = join(cwd, 'h.db');
    const db = openStore(path);
    for (let i = 0; i < 3; i++) ingestRun(db, historyRunAt(i, 3), 'main');
    saveRun(db, { ...historyRunAt(3, 4), id: 'x/../../escaped' });
    db.close();
    const r = await runCli(['export', '--out', 'site', '--db', path], { cwd });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`benchgate: skipped run "x/../../escaped": its id cannot be used as a file name\n`);
    expect(r.stdout).toMatch(/3 runs\)/);
    const list = JSON.parse(readFileSync(join(cwd, 'site/api/v1/projects/1/runs.json'), 'utf8')) as { id: string }[];
    expect(list.map((run) => run.id)).not.toContain('x/../../escaped');
    expect(existsSync(join(cwd, 'escaped.json'))).toBe(false);
  });

  it('refuses a damaged store with exit 2, writers before writing and readers when they meet it, leaving it untouched', async () => {
    const cwd = tempDir();
    const path = storeOf40(cwd);
    const bytes = readFileSync(path);
    const pages = bytes.length / 4096;
    bytes.fill(0xa5, Math.floor(pages / 2) * 4096, (Math.floor(pages / 2) + 8) * 4096);
    writeFileSync(path, bytes);
    const create = await runCli(['token', 'create', '--name', 'ci', '--db', path], { cwd });
    expect(create.code).toBe(2);
    expect(create.stderr).toMatch(/h\.db is corrupt \(quick_check: .*\); it was left untouched: restore a backup/);
    const exported = await runCli(['export', '--out', 'site', '--db', path], { cwd });
    expect(exported.code).toBe(2);
    expect(exported.stderr).toMatch(/h\.db is corrupt \(SQLITE_CORRUPT/);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('a disk that fails while a run is stored is exit 2 naming the file, and the database keeps what it had', async () => {
    const cwd = tempDir();
    const path = join(cwd, 'h.db');
    openStore(path).close();
    const before = readFileSync(path);
    const { spawnSync } = await import('node:child_process');
    const { CLI, TINY_SUITE } = await import('../helpers.js');
    // A file-size limit of 36 KiB: the WAL's shared memory (32 KiB) fits, the run's pages do not.
    const r = spawnSync(
      'bash',
      [
        '-c',
        `ulimit -f 36 && exec "${process.execPath}" "${CLI}" run --suite "${TINY_SUITE}" --rounds 2 --time-budget 2 --db h.db --report-markdown r.md --report-json r.json`,
      ],
      { cwd, encoding: 'utf8' },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/h\.db: the disk (is full|failed) \(SQLITE_(FULL|IOERR)/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});
