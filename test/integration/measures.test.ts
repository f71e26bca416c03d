/**
 * Measures besides time, end to end: a real git repository whose head allocates twice as much per
 * call and holds a buffer twice as large, at about the same speed. `compare` with both memory
 * measures gating calls them regressed and time not, and so does a history run after three of the
 * base; an A/A comparison flags nothing on any measure.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/model.js';
import { runCli, tempDir } from '../helpers.js';

/** `objects` small objects allocated per call beside a fixed spin, and a `mib` MiB buffer held from setup. */
const suiteSource = (objects: number, mib: number) => `
function spin(n) { let x = 0; for (let i = 0; i < n; i++) x += Math.sqrt(i); return x; }
export default {
  name: 'memory-demo',
  cases: () => [
    {
      kernel: 'mem', implementation: 'loop', fixture: 'small', fixtureChecksum: 'c1', work: { flops: null, bytes: null },
      setup: () => {
        const buffer = new Float64Array(${mib} * 131072);
        for (let i = 0; i < buffer.length; i += 512) buffer[i] = i;
        return {
          run: () => {
            const keep = [];
            for (let i = 0; i < ${objects}; i++) keep.push({ i, s: 'x' + i });
            return spin(2000000) + keep.length + buffer[512];
          },
        };
      },
    },
  ],
};
`;

const work = tempDir('benchgate-measures-');
const repo = join(work, 'repo');
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
const config = {
  suite: 'suite.mjs',
  // 12 rounds: the two gated memory measures and time share α, and 8 rounds cannot reach a third of it.
  'min-rounds': 12,
  'max-rounds': 12,
  threshold: '25%',
  measures: { 'peak-memory': { gate: true, threshold: '20%' }, allocated: { gate: true, threshold: '20%' } },
};
const flags = (n: string) => [
  '--time-budget',
  '6',
  '--build-command',
  'true',
  '--db',
  join(work, `${n}.db`),
  '--report-markdown',
  join(work, `${n}.md`),
  '--report-json',
  join(work, `${n}.json`),
];

beforeAll(() => {
  execFileSync('mkdir', ['-p', repo]);
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'test');
  git('config', 'commit.gpgsign', 'false');
  writeFileSync(join(repo, 'suite.mjs'), suiteSource(2000, 8));
  writeFileSync(join(repo, 'benchgate.config.json'), JSON.stringify(config));
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  writeFileSync(join(repo, 'suite.mjs'), suiteSource(4000, 16));
  git('commit', '-q', '-am', 'twice the memory');
});

describe('measures besides time', () => {
  it('calls twice the allocations and twice the peak memory regressed, and not time', async () => {
    const r = await runCli(['compare', '--base', 'HEAD~1', '--head', 'HEAD', ...flags('double')], { cwd: repo });
    const report = JSON.parse(readFileSync(join(work, 'double.json'), 'utf8')) as RunReport;
    const mem = report.benchmarks[0]!;
    const by = new Map(mem.measures.map((m) => [m.measure, m]));
    expect(by.get('peak-memory')).toMatchObject({ gated: true, verdict: { kind: 'regressed' } });
    expect(by.get('allocated')).toMatchObject({ gated: true, verdict: { kind: 'regressed' } });
    expect(by.get('allocated')?.verdict?.changePct).toBeGreaterThan(40);
    expect(mem.verdict?.kind).not.toBe('regressed');
    expect(report.summary.regressed).toBe(2);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/mem\/loop\/small: peak memory [\d.]+ MiB → [\d.]+ MiB \(\+\d+\.\d%\) regressed/);
    expect(readFileSync(join(work, 'double.md'), 'utf8')).toMatch(/allocated .* regressed/);
  }, 120_000);

  it('flags nothing on any measure when both sides are the same commit', async () => {
    const r = await runCli(['compare', '--base', 'HEAD', '--head', 'HEAD', ...flags('aa')], { cwd: repo });
    const report = JSON.parse(readFileSync(join(work, 'aa.json'), 'utf8')) as RunReport;
    const kinds = report.benchmarks.flatMap((b) => [b.verdict?.kind, ...b.measures.map((m) => m.verdict?.kind)]);
    expect(kinds).not.toContain('regressed');
    expect(kinds).not.toContain('improved');
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);

  it('calls twice the peak memory regressed in history mode too', async () => {
    const history = ['--rounds', '3', '--time-budget', '2', '--db', join(work, 'history.db')];
    git('checkout', '-q', 'HEAD~1');
    try {
      for (let i = 0; i < 3; i++) expect((await runCli(['run', ...history], { cwd: repo })).code).toBe(0);
    } finally {
      git('checkout', '-q', 'main');
    }
    const r = await runCli(['run', ...history, '--json'], { cwd: repo });
    const mem = (JSON.parse(r.stdout) as RunReport).benchmarks[0]!;
    expect(mem.measures.find((m) => m.measure === 'peak-memory')).toMatchObject({
      gated: true,
      verdict: { kind: 'regressed', method: 'history-robust-t' },
    });
    expect(r.code).toBe(1);
  }, 120_000);
});
