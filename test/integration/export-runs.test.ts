/** `benchgate export --runs DIR`: the dashboard straight from a checkout of the data branch (the Pages workflow). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeRunFile } from '../../src/github/run-files.js';
import { historyRunAt } from '../fixtures/server/history.js';
import { runCli, tempDir } from '../helpers.js';

describe('export from the data branch', () => {
  it('rebuilds the history from the run files and writes the dashboard', async () => {
    const branch = tempDir('benchgate-branch-');
    for (let i = 0; i < 3; i++) writeRunFile(branch, historyRunAt(i, 3));
    const out = join(tempDir('benchgate-site-'), 'site');
    const r = await runCli(['export', '--out', out, '--runs', branch], { cwd: branch });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('rebuilt the history from 3 run files');
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    const projects = JSON.parse(readFileSync(join(out, 'api', 'v1', 'projects.json'), 'utf8')) as { runs: number }[];
    expect(projects[0]?.runs).toBe(3);
  });

  it('names a folder that is not there', async () => {
    const dir = tempDir();
    const r = await runCli(['export', '--out', join(dir, 'site'), '--runs', '/no/such/checkout'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'runs' must be a checkout of the data branch but got '/no/such/checkout'");
  });
});
