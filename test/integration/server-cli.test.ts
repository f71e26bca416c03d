import { join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { listTokens, verifyToken } from '../../src/store/tokens.js';
import { ingestRun } from '../../src/server/ingest/ingest.js';
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
