import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/model.js';
import { CLI, runCli, tempDir, TINY_SUITE } from '../helpers.js';

const WEIRD = `names/quote"s <b>html</b> & ünïcødé ✓/x`;
const fast = ['--suite', TINY_SUITE, '--rounds', '2', '--time-budget', '0.5'];

function count(db: string, sql: string): number {
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare(sql).get() as { n: number }).n;
  } finally {
    d.close();
  }
}

describe('benchgate run, end to end', () => {
  it('measures, stores and reports every benchmark, failures as data', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.db');
    const r = await runCli(['run', ...fast, '--db', db, '--json'], { cwd: dir });
    expect(r.stderr).toMatch(/round 2\/2 done/);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as RunReport;
    const by = Object.fromEntries(report.benchmarks.map((b) => [b.name, b]));
    expect(Object.keys(by).sort()).toEqual(['faults/skips/x', 'faults/throws/x', WEIRD, 'spin/loop/small'].sort());
    expect(by['spin/loop/small']).toMatchObject({ state: 'completed', verdict: { kind: 'inconclusive' } });
    expect(by['spin/loop/small']!.medianSeconds).toBeGreaterThan(0);
    expect(by['spin/loop/small']!.gflops).toBeGreaterThan(0);
    expect(by['spin/loop/small']!.measurements).toHaveLength(2);
    expect(by['faults/throws/x']).toMatchObject({
      state: 'errored',
      reason: expect.stringContaining('boom in benchmark'),
    });
    expect(by['faults/skips/x']).toMatchObject({ state: 'skipped', reason: 'no such device here' });
    expect(by[WEIRD]?.state).toBe('completed');
    expect(report.summary).toMatchObject({ errored: 1, skipped: 1, inconclusive: 2, regressed: 0 });

    // stored: one run, two processes per benchmark, names byte for byte; a benchmark skipped in
    // round 1 is not started again (skipping is the machine's answer, not chance)
    expect(count(db, 'SELECT count(*) AS n FROM run')).toBe(1);
    expect(count(db, 'SELECT count(*) AS n FROM measurement')).toBe(7);
    expect(by['faults/skips/x']!.measurements).toHaveLength(1);
    const d = new Database(db, { readonly: true });
    expect(d.prepare('SELECT name FROM benchmark WHERE kernel = ?').get('names')).toEqual({ name: WEIRD });
    d.close();

    // reports: JSON file equals stdout, Markdown escapes the HTML so it shows as written
    expect(JSON.parse(readFileSync(join(dir, 'benchgate-report.json'), 'utf8'))).toEqual(report);
    const md = readFileSync(join(dir, 'benchgate-report.md'), 'utf8');
    expect(md).toContain('quote"s &lt;b&gt;html&lt;/b&gt; &amp; ünïcødé ✓');
    expect(md).not.toContain('<b>html</b>');
  });

  it('prints a table with the name as written, and writes reports where configured', async () => {
    const dir = tempDir();
    const r = await runCli(
      ['run', ...fast, '--db', join(dir, 'h.db'), '--report-markdown', 'out/r.md', '--report-json', 'out/r.json'],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^benchmark\s+median\s+spread\s+throughput\s+change\s+verdict/);
    expect(r.stdout).toContain(WEIRD);
    expect(r.stdout).toContain('errored: boom in benchmark');
    expect(existsSync(join(dir, 'out/r.md')) && existsSync(join(dir, 'out/r.json'))).toBe(true);
  });

  it('runs the built-in kernels on a tiny selection', async () => {
    const dir = tempDir();
    const r = await runCli(
      [
        'run',
        '--filter',
        'matmul/ts-typed/n128',
        '--rounds',
        '1',
        '--time-budget',
        '0.3',
        '--db',
        join(dir, 'h.db'),
        '--json',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as RunReport;
    expect(report.benchmarks.map((b) => [b.name, b.state, b.fixtureChecksum])).toEqual([
      ['matmul/ts-typed/n128', 'completed', '5ac2297fe0ebaccc'],
    ]);
    expect(report.benchmarks[0]!.gflops).toBeGreaterThan(0.05);
  });

  it('exits 1 when a benchmark got slower than its history, 0 while it did not', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.db');
    // A 50% floor keeps a loaded CI machine's noise from flipping the "same" run; 3× still trips it.
    const args = ['run', ...fast, '--filter', 'spin/*', '--db', db, '--json', '--threshold', '50%'];
    for (let i = 0; i < 3; i++) expect((await runCli(args, { cwd: dir })).code).toBe(0);
    const same = await runCli(args, { cwd: dir });
    expect(JSON.parse(same.stdout).benchmarks[0].verdict.kind).not.toBe('regressed');
    const slow = await runCli(args, { cwd: dir, env: { TINY_SLOWDOWN: '3' } });
    expect(slow.code).toBe(1);
    const v = (JSON.parse(slow.stdout) as RunReport).benchmarks[0]!.verdict!;
    expect(v.kind).toBe('regressed');
    expect(v.changePct).toBeGreaterThan(100);
    expect(count(db, 'SELECT count(*) AS n FROM run')).toBe(5);
  });
});

describe('benchgate run, bad input', () => {
  it('exits 2 naming the key and value of a bad flag', async () => {
    const r = await runCli(['run', '--rounds', 'abc'], { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`'rounds' must be an integer from 1 to 1000 but got 'abc'`);
  });

  it('exits 2 on an unknown flag and an unknown command', async () => {
    expect((await runCli(['run', '--roundz', '3'], { cwd: tempDir() })).code).toBe(2);
    const r = await runCli(['frobnicate'], { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
  });

  it('exits 2 on an unknown key in benchgate.config.json', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'benchgate.config.json'), JSON.stringify({ profile: 'quick', color: 'red' }));
    const r = await runCli(['run'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown key 'color'/);
  });

  it('exits 2 on a file that is not a benchgate database, before measuring, leaving it untouched', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.db');
    writeFileSync(db, 'not a database');
    const r = await runCli(['run', ...fast, '--db', db], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not an SQLite database/);
    expect(r.stderr).not.toMatch(/round/);
    expect(readFileSync(db, 'utf8')).toBe('not a database');
  });

  it('exits 2 on a suite module with the wrong shape', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'suite.mjs'), 'export default { nope: true };');
    const r = await runCli(['run', '--suite', 'suite.mjs', '--db', join(dir, 'h.db')], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/must export default/);
  });

  it('answers --help and --version with 0', async () => {
    const help = await runCli(['--help'], { cwd: tempDir() });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/usage: benchgate <command>/);
    expect((await runCli(['run', '--help'], { cwd: tempDir() })).stdout).toMatch(/--time-budget/);
    expect((await runCli(['--version'], { cwd: tempDir() })).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('benchgate run, killed half-way', () => {
  for (const signal of ['SIGKILL', 'SIGINT'] as const) {
    it(`${signal} leaves the database consistent and loses no earlier run`, async () => {
      const dir = tempDir();
      const db = join(dir, 'h.db');
      expect((await runCli(['run', ...fast, '--db', db], { cwd: dir })).code).toBe(0);
      const child = spawn(
        process.execPath,
        [CLI, 'run', '--suite', TINY_SUITE, '--rounds', '50', '--time-budget', '60', '--db', db],
        { cwd: dir, env: { ...process.env, TINY_HANG: '' } },
      );
      await new Promise<void>((resolve) => {
        child.stderr.on('data', (d: Buffer) => {
          if (d.toString().includes('round 1/50 done')) resolve();
        });
      });
      child.kill(signal);
      await new Promise((resolve) => child.on('close', resolve));
      const d = new Database(db);
      expect(d.pragma('integrity_check', { simple: true })).toBe('ok');
      expect((d.prepare('SELECT count(*) AS n FROM run').get() as { n: number }).n).toBe(1);
      expect((d.prepare('SELECT count(*) AS n FROM measurement').get() as { n: number }).n).toBe(7);
      d.close();
      // and the next run works on the same file
      expect((await runCli(['run', ...fast, '--db', db], { cwd: dir })).code).toBe(0);
      expect(count(db, 'SELECT count(*) AS n FROM run')).toBe(2);
    });
  }
});

describe('benchgate run --filter', () => {
  it('exits 2 when the filter matches nothing', async () => {
    const r = await runCli(['run', '--suite', TINY_SUITE, '--filter', 'nothing/*', '--db', join(tempDir(), 'h.db')], {
      cwd: tempDir(),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`'filter' matched no benchmark of suite tiny: 'nothing/*'`);
  });
});
