/**
 * The data branch against a real local bare repository as the remote: first push creates the
 * branch, two jobs pushing at once both keep their run (one retries), pruning bounds the tree,
 * and the SQLite history rebuilt from the files is idempotent by run id.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendRun, checkoutDataBranch, type DataBranch } from '../../../src/github/data-branch.js';
import { rebuildHistory } from '../../../src/github/rebuild-history.js';
import { listRunFiles, readRunFile, runFilePath } from '../../../src/github/run-files.js';
import { sampleRun } from '../../fixtures/store/sample-run.js';
import { tempDir } from '../../helpers.js';

function bareRemote(): string {
  const dir = join(tempDir('benchgate-remote-'), 'origin.git');
  execFileSync('git', ['init', '--quiet', '--bare', dir]);
  return dir;
}

const lsTree = (remote: string, branch = 'benchgate-data') =>
  execFileSync('git', ['ls-tree', '-r', '--name-only', branch], { cwd: remote, encoding: 'utf8' }).trim().split('\n');
const job = (remote: string, keepRuns = 500): DataBranch => ({
  remote,
  branch: 'benchgate-data',
  token: null,
  dir: join(tempDir('benchgate-job-'), 'data'),
  keepRuns,
});
const run = (id: string, minute: number) => ({
  ...sampleRun(id, [1e-3, 1.01e-3]),
  startedAt: `2026-11-21T10:${String(minute).padStart(2, '0')}:00.000Z`,
});

describe('data branch', () => {
  it('creates the branch on the first run and appends one file per run', async () => {
    const remote = bareRemote();
    const a = job(remote);
    expect(await checkoutDataBranch(a)).toBe(false);
    const r1 = await appendRun(a, run('run-1', 1));
    expect(r1).toMatchObject({ attempts: 1, path: runFilePath(run('run-1', 1)) });
    const b = job(remote);
    expect(await checkoutDataBranch(b)).toBe(true);
    await appendRun(b, run('run-2', 2));
    expect(lsTree(remote)).toEqual([
      'README.md',
      'runs/tb1/20261121T100100Z_run-1.json.gz',
      'runs/tb1/20261121T100200Z_run-2.json.gz',
    ]);
    // read back exactly
    expect(readRunFile(b.dir, 'runs/tb1/20261121T100100Z_run-1.json.gz')).toEqual(run('run-1', 1));
    const log = execFileSync('git', ['log', '--format=%an|%s', 'benchgate-data'], { cwd: remote, encoding: 'utf8' });
    expect(log).toContain('github-actions[bot]|benchgate: run run-2 (abc123)');
  });

  it('two jobs pushing at once: both runs are kept, the later one after a retry', async () => {
    const remote = bareRemote();
    const seed = job(remote);
    await checkoutDataBranch(seed);
    await appendRun(seed, run('seed', 0));
    // Both jobs start from the same tip, then push concurrently: one must be rejected and retry.
    const a = job(remote);
    const b = job(remote);
    await Promise.all([checkoutDataBranch(a), checkoutDataBranch(b)]);
    const [ra, rb] = await Promise.all([
      appendRun(a, run('job-a', 5), { delayMs: 50 }),
      appendRun(b, run('job-b', 6), { delayMs: 50 }),
    ]);
    expect([ra.attempts, rb.attempts].sort()).toEqual([1, 2]);
    expect(lsTree(remote).filter((f) => f.startsWith('runs/'))).toEqual([
      'runs/tb1/20261121T100000Z_seed.json.gz',
      'runs/tb1/20261121T100500Z_job-a.json.gz',
      'runs/tb1/20261121T100600Z_job-b.json.gz',
    ]);
    // Linear history: seed, then both jobs, no merge commits.
    expect(
      execFileSync('git', ['rev-list', '--count', '--merges', 'benchgate-data'], {
        cwd: remote,
        encoding: 'utf8',
      }).trim(),
    ).toBe('0');
    expect(
      execFileSync('git', ['rev-list', '--count', 'benchgate-data'], { cwd: remote, encoding: 'utf8' }).trim(),
    ).toBe('3');
  });

  it('two jobs creating the branch at once: both runs kept', async () => {
    const remote = bareRemote();
    const a = job(remote);
    const b = job(remote);
    await Promise.all([checkoutDataBranch(a), checkoutDataBranch(b)]);
    await Promise.all([
      appendRun(a, run('first-a', 1), { delayMs: 50 }),
      appendRun(b, run('first-b', 2), { delayMs: 50 }),
    ]);
    expect(lsTree(remote).filter((f) => f.startsWith('runs/'))).toHaveLength(2);
  });

  it('keeps at most keep-runs files per testbed (the newest), other testbeds untouched', async () => {
    const remote = bareRemote();
    const d = job(remote, 10);
    await checkoutDataBranch(d);
    await appendRun(d, { ...run('other-tb', 0), testbed: { ...run('x', 0).testbed, key: 'tb2' } });
    let pruned: string[] = [];
    for (let i = 1; i <= 13; i++) pruned = pruned.concat((await appendRun(d, run(`r${i}`, i))).pruned);
    expect(pruned).toEqual([
      'runs/tb1/20261121T100100Z_r1.json.gz',
      'runs/tb1/20261121T100200Z_r2.json.gz',
      'runs/tb1/20261121T100300Z_r3.json.gz',
    ]);
    const files = lsTree(remote).filter((f) => f.startsWith('runs/'));
    expect(files).toHaveLength(11);
    expect(files).toContain('runs/tb2/20261121T100000Z_other-tb.json.gz');
    expect(files).not.toContain('runs/tb1/20261121T100300Z_r3.json.gz');
  });

  it('rebuilds the SQLite history from the files, idempotently, oldest first', async () => {
    const remote = bareRemote();
    const d = job(remote);
    await checkoutDataBranch(d);
    for (const [id, minute] of [
      ['b', 2],
      ['a', 1],
      ['c', 3],
    ] as const)
      await appendRun(d, run(id, minute));
    const db = join(tempDir(), 'h.db');
    expect(rebuildHistory(d.dir, db)).toEqual({ files: 3, added: 3, skipped: [] });
    expect(rebuildHistory(d.dir, db)).toEqual({ files: 3, added: 0, skipped: [] });
    const rows = new Database(db, { readonly: true }).prepare('SELECT id FROM run ORDER BY rowid').all();
    expect(rows).toEqual([{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
    expect(listRunFiles(d.dir)).toHaveLength(3);
  });

  it('a remote that answers "not found" or "forbidden" is an error, not a missing branch', async () => {
    // GitHub answers 404 "Repository not found" to a token that may not see the repository.
    for (const [status, text] of [
      [404, 'Repository not found.'],
      [403, 'Permission to acme/widgets.git denied to github-actions[bot].'],
    ] as const) {
      const server = createServer((_req, res) => res.writeHead(status, { 'content-type': 'text/plain' }).end(text));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/acme/widgets.git`;
        await expect(checkoutDataBranch({ ...job(url), token: 'ghs_denied' }), String(status)).rejects.toThrow(
          /git ls-remote .* failed/,
        );
      } finally {
        server.close();
      }
    }
    // A path that is no repository at all.
    await expect(checkoutDataBranch(job(join(tempDir(), 'no-such.git')))).rejects.toThrow(/failed/);
    // Only a remote without the branch is a missing branch.
    expect(await checkoutDataBranch(job(bareRemote()))).toBe(false);
  });

  it('refuses run ids and testbed keys that would escape the runs folder', () => {
    expect(() => runFilePath({ ...run('x', 1), id: '../../etc/passwd' })).toThrow(
      /run id .* cannot be part of a file name/,
    );
    expect(() => runFilePath({ ...run('x', 1), testbed: { ...run('x', 1).testbed, key: '..' } })).toThrow(
      /testbed key/,
    );
  });
});
