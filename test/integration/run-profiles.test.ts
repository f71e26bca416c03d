/**
 * Profiles in history mode end to end: `benchgate run` on a git repository made here, into real
 * SQLite files. A run with `keep-profiles` keeps each benchmark's self times in the stored run; the
 * next commit doubles the work of a helper two calls deep, and its run is flagged regressed with a
 * differential, against the kept profile, that names the helper first. Against a history that
 * kept no profile, the regression says so and still names the head's top function. Profiling stays
 * within its budget.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { rebuildHistory } from '../../src/github/rebuild-history.js';
import { writeRunFile } from '../../src/github/run-files.js';
import type { RunReport } from '../../src/model.js';
import { latestKeptProfile } from '../../src/store/kept-profiles.js';
import { loadRun } from '../../src/store/runs.js';
import { copyDb, dbRows, runReport, tempDir } from '../helpers.js';

/** A suite whose `deep` kernel calls middle → leafWork (`leafWork` loops `leaf` times per call). */
const suiteSource = (leaf: number) => `
function leafWork(n) { let x = 0; for (let i = 0; i < n; i++) x += Math.sqrt(i + (x % 7)); return x; }
function middle(n) { return leafWork(n) + 1; }
function ownWork() { let y = 0; for (let i = 0; i < 20000; i++) y += Math.cbrt(i); return y; }
function kernel() { let s = 0; for (let k = 0; k < 4; k++) s += middle(${leaf}); return s + ownWork(); }
export default {
  name: 'deep',
  cases: () => [
    { kernel: 'deep', implementation: 'js', fixture: 'small', fixtureChecksum: 'c1', work: { flops: null, bytes: null }, setup: () => ({ run: kernel }) },
    { kernel: 'steady', implementation: 'js', fixture: 'small', fixtureChecksum: 'c1', work: { flops: null, bytes: null }, setup: () => ({ run: ownWork }) },
  ],
};
`;

const work = tempDir('benchgate-run-profiles-');
const repo = join(work, 'repo');
const BUDGET_SECONDS = 20;
/** Earlier runs before the one that keeps profiles: enough history for a verdict at 4 degrees of freedom. */
const EARLIER_RUNS = 4;
const DEEP = 'deep/js/small';
const STEADY = 'steady/js/small';

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function commit(name: string, leaf: number): string {
  writeFileSync(join(repo, 'suite.mjs'), suiteSource(leaf));
  git('add', '-A');
  git('commit', '-q', '-m', name);
  return git('rev-parse', 'HEAD');
}

/** `benchgate run` of the checkout into `db`, with the settings in config file `config`, reports under `out`. */
async function run(
  db: string,
  config: string,
  out: string,
): Promise<{ code: number | null; report: RunReport; stderr: string }> {
  return runReport(
    [
      'run',
      '--suite',
      'suite.mjs',
      '--rounds',
      '3',
      '--time-budget',
      '0.5',
      '--threshold',
      '40%',
      '--db',
      db,
      '--config',
      join(work, config),
      '--report-json',
      join(out, 'report.json'),
      '--report-markdown',
      join(out, 'report.md'),
      '--json',
    ],
    { cwd: repo },
  );
}

interface Profiling {
  budgetSeconds: number;
  seconds: number;
  profiled: string[];
  notProfiled: { name: string; reason: string }[];
}

const kept = join(work, 'kept.db');
const plain = join(work, 'plain.db');
const sha: Record<string, string> = {};
let keptRun: RunReport;

beforeAll(async () => {
  mkdirSync(repo, { recursive: true });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'test');
  git('config', 'commit.gpgsign', 'false');
  sha.base = commit('base', 20_000);
  writeFileSync(join(work, 'keep.json'), JSON.stringify({ 'keep-profiles': true, 'profile-budget': BUDGET_SECONDS }));
  writeFileSync(join(work, 'plain.json'), JSON.stringify({ 'profile-budget': BUDGET_SECONDS }));
  writeFileSync(join(work, 'tight.json'), JSON.stringify({ 'keep-profiles': true, 'profile-budget': 2 }));
  for (let i = 0; i < EARLIER_RUNS; i++) {
    const r = await run(kept, 'plain.json', join(work, `earlier-${i}`));
    expect(r.report.settings.keptProfiles, 'no profile is kept without keep-profiles').toBeUndefined();
  }
  copyDb(kept, plain);
}, 180_000);

describe('benchgate run: profiles of history regressions', () => {
  it('keeps every benchmark’s self times with keep-profiles, cheapest first, small, within the budget', async () => {
    const out = join(work, 'keep');
    const r = await run(kept, 'keep.json', out);
    keptRun = r.report;
    expect(r.code, r.stderr).toBe(0);
    const profiling = r.report.settings.profiling as Profiling;
    expect(profiling).toMatchObject({ budgetSeconds: BUDGET_SECONDS, profiled: [STEADY, DEEP], notProfiled: [] });
    expect(profiling.seconds).toBeLessThanOrEqual(BUDGET_SECONDS);
    expect(r.report.settings.keptProfiles).toBe(2);
    // Kept in the stored run: per function name, file, line and ms per call; no sample tree.
    const stored = dbRows(
      kept,
      `SELECT b.name, k.calls, k.functions_json FROM kept_profile k JOIN benchmark b ON b.id = k.benchmark_id
       WHERE k.run_id = ? ORDER BY b.name`,
      r.report.id,
    );
    expect(stored.map((s) => s.name)).toEqual([DEEP, STEADY]);
    const deep = JSON.parse(stored[0]?.functions_json as string) as [string, string, number, number][];
    expect(deep[0]?.slice(0, 3)).toEqual(['leafWork', 'suite.mjs', 2]);
    expect(deep[0]?.[3]).toBeGreaterThan(0);
    expect(stored[0]?.calls).toBeGreaterThanOrEqual(3);
    expect((stored[0]?.functions_json as string).length).toBeLessThan(4096);
    // The head's .cpuprofile of each is beside the reports.
    for (const name of [DEEP, STEADY]) {
      const file = JSON.parse(readFileSync(join(out, 'benchgate-profiles', name, 'head.cpuprofile'), 'utf8')) as Record<
        string,
        unknown[]
      >;
      expect(file.nodes?.length).toBeGreaterThan(0);
      expect(file.timeDeltas?.length).toBe(file.samples?.length);
    }
  }, 120_000);

  it('compares a later regression against the kept profile: the helper whose work doubled comes first', async () => {
    sha.slow = commit('slow', 40_000);
    const out = join(work, 'slow-kept');
    const r = await run(kept, 'plain.json', out);
    expect(r.code, r.stderr).toBe(1);
    const deep = r.report.benchmarks.find((b) => b.name === DEEP);
    expect(deep?.verdict?.kind, deep?.verdict?.reason).toBe('regressed');
    const profile = deep?.profile;
    expect(profile?.note).toBe(
      `compared with the profile kept by run ${keptRun.id} (commit ${sha.base?.slice(0, 7)}, ${keptRun.startedAt.slice(0, 10)}); this run's profile: benchgate-profiles/deep/js/small/head.cpuprofile`,
    );
    expect(profile?.top[0]).toMatchObject({ function: 'leafWork', file: 'suite.mjs', line: 2 });
    const first = profile?.top[0];
    expect(first?.headMsPerCall).toBeGreaterThan(1.5 * (first?.baseMsPerCall ?? Infinity));
    expect(profile?.top.length).toBeLessThanOrEqual(5);
    expect(existsSync(join(out, 'benchgate-profiles/deep/js/small/head.cpuprofile'))).toBe(true);
    // Only the regression is profiled (no keep-profiles in this run), within the budget.
    expect(r.report.benchmarks.find((b) => b.name === STEADY)?.profile).toBeUndefined();
    const profiling = r.report.settings.profiling as Profiling;
    expect(profiling.profiled).toEqual([DEEP]);
    expect(profiling.seconds).toBeLessThanOrEqual(BUDGET_SECONDS);
    expect(r.stderr).toMatch(/profiling deep\/js\/small/);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toMatch(/\n {2}- \+[0-9.]+ (?:ms|µs)\/call in `leafWork` \(suite\.mjs:2\)\n/);
    // The stored run carries the profile; nothing more was kept.
    expect(dbRows(kept, 'SELECT count(*) AS n FROM result_profile WHERE run_id = ?', r.report.id)).toEqual([{ n: 1 }]);
    expect(dbRows(kept, 'SELECT count(*) AS n FROM kept_profile')).toEqual([{ n: 2 }]);
  }, 120_000);

  it('carries the kept profiles in the run file, so a data branch rebuilt from the files keeps them too', () => {
    // The report the keep run printed and wrote carries each benchmark's kept self times.
    const written = JSON.parse(readFileSync(join(work, 'keep', 'report.json'), 'utf8')) as RunReport;
    for (const r of [keptRun, written]) {
      const deep = r.benchmarks.find((b) => b.name === DEEP)?.keptProfile;
      expect(deep?.functions[0]).toMatchObject({ function: 'leafWork', file: 'suite.mjs', line: 2 });
      expect(r.benchmarks.find((b) => b.name === STEADY)?.keptProfile?.functions.length).toBeGreaterThan(0);
    }
    // Every stored run to run files (as the Action pushes them), then a new database from the files.
    const branch = join(work, 'branch');
    const ids = dbRows(kept, 'SELECT id FROM run ORDER BY rowid').map((x) => x.id as string);
    const source = new Database(kept, { readonly: true });
    try {
      for (const id of ids) writeRunFile(branch, loadRun(source, id) as RunReport);
    } finally {
      source.close();
    }
    const rebuilt = join(work, 'rebuilt.db');
    expect(rebuildHistory(branch, rebuilt)).toMatchObject({ files: ids.length, added: ids.length });
    const keptRows = (db: string) =>
      dbRows(
        db,
        `SELECT k.run_id, b.name, k.calls, k.functions_json FROM kept_profile k JOIN benchmark b ON b.id = k.benchmark_id
         ORDER BY k.run_id, b.name`,
      );
    expect(keptRows(rebuilt)).toEqual(keptRows(kept));
    expect(keptRows(rebuilt)).toHaveLength(2);
    const query = { project: keptRun.project, testbedKey: keptRun.testbed.key, benchmark: DEEP, fixtureChecksum: 'c1' };
    const a = new Database(kept, { readonly: true });
    const b = new Database(rebuilt, { readonly: true });
    try {
      expect(latestKeptProfile(b, query)).toEqual(latestKeptProfile(a, query));
      expect(latestKeptProfile(b, query)?.runId).toBe(keptRun.id);
    } finally {
      a.close();
      b.close();
    }
  });

  it('says when no earlier profile was kept, and still names the head’s top function', async () => {
    const out = join(work, 'slow-plain');
    const r = await run(plain, 'plain.json', out);
    expect(r.code, r.stderr).toBe(1);
    const deep = r.report.benchmarks.find((b) => b.name === DEEP);
    expect(deep?.verdict?.kind, deep?.verdict?.reason).toBe('regressed');
    expect(deep?.profile).toMatchObject({ top: [], files: null });
    expect(deep?.profile?.note).toMatch(
      /^no earlier profile of this benchmark was kept on this testbed to compare against \(keep-profiles\); the head's top self time per call: leafWork \(suite\.mjs:2\) [0-9.]+ (?:ms|µs)/,
    );
    expect(deep?.profile?.note).toContain('its profile: benchgate-profiles/deep/js/small/head.cpuprofile');
    const file = JSON.parse(readFileSync(join(out, 'benchgate-profiles/deep/js/small/head.cpuprofile'), 'utf8')) as {
      samples: unknown[];
    };
    expect(file.samples.length).toBeGreaterThan(100);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('no earlier profile of this benchmark was kept');
    expect(dbRows(plain, 'SELECT count(*) AS n FROM kept_profile')).toEqual([{ n: 0 }]);
  }, 120_000);

  it('profiles only what the budget covers, cheapest first, and says why the rest was not', async () => {
    const db = join(work, 'tight.db');
    const r = await run(db, 'tight.json', join(work, 'tight'));
    expect(r.code, r.stderr).toBe(0);
    const profiling = r.report.settings.profiling as Profiling;
    expect(profiling.budgetSeconds).toBe(2);
    // A process still running when the budget ends is killed; seconds are rounded to 0.1.
    expect(profiling.seconds).toBeLessThanOrEqual(2.1);
    expect(profiling.profiled.length + profiling.notProfiled.length).toBe(2);
    if (profiling.profiled.length > 0) expect(profiling.profiled[0]).toBe(STEADY);
    for (const n of profiling.notProfiled) expect(n.reason).toMatch(/profile budget/);
    expect(r.report.settings.keptProfiles).toBe(profiling.profiled.length);
    expect(dbRows(db, 'SELECT count(*) AS n FROM kept_profile')).toEqual([{ n: profiling.profiled.length }]);
  }, 60_000);
});
