/**
 * Differential profiles into native code, end to end: `benchgate compare` on a git repository made
 * here, whose suite module calls a tiny node-addon-api addon (test/fixtures/profile-native/) that
 * each revision builds with g++; the head doubles the work of `leafWork`, a C++ function two calls
 * deep in the addon. V8 sees only one native frame; with Linux perf the differential names the
 * C++ function first, with its source file and line from the addon's debug info.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/model.js';
import { gitRepo, ROOT, runCli, tempDir } from '../helpers.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'profile-native');

/** Why this machine cannot run the test (no g++, or perf cannot record), or null. */
function cannotRun(): string | null {
  if (process.platform !== 'linux') return 'perf records on Linux only';
  if (spawnSync('g++', ['--version']).status !== 0) return 'g++ is not installed';
  const dir = mkdtempSync(join(tmpdir(), 'benchgate-perf-probe-'));
  try {
    const r = spawnSync('perf', ['record', '--quiet', '--event=cpu-clock', `--output=${join(dir, 'p.data')}`, 'true'], {
      encoding: 'utf8',
    });
    if (r.error) return `perf is not installed (${r.error.message})`;
    if (r.status !== 0) return `perf cannot record here: ${r.stderr.trim().split('\n').slice(-2).join(' ')}`;
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const why = cannotRun();
if (why !== null) console.warn(`skipping the native differential-profile test: ${why}`);

const work = tempDir('benchgate-profile-native-');
const repo = join(work, 'repo');
const sha: Record<string, string> = {};
const BUDGET_SECONDS = 30;
const ADDON = readFileSync(join(FIXTURES, 'addon.cc'), 'utf8');
/** The source line where `leafWork` starts: the differential names a line inside it. */
const LEAF_LINE = ADDON.split('\n').findIndex((l) => l.includes('double leafWork(int n)')) + 1;

let git: (...args: string[]) => string;

function commit(name: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) writeFileSync(join(repo, path), text);
  git('add', '-A');
  git('commit', '-q', '-m', name);
  sha[name] = git('rev-parse', 'HEAD');
}

beforeAll(() => {
  if (why !== null) return;
  mkdirSync(repo, { recursive: true });
  git = gitRepo(repo);
  const file = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
  commit('base', {
    'addon.cc': ADDON,
    'suite.mjs': file('suite.mjs'),
    'build.sh': file('build.sh'),
    '.gitignore': 'build/\n',
  });
  const doubled = ADDON.replace('constexpr int kLeaf = 20000;', 'constexpr int kLeaf = 40000;');
  expect(doubled).not.toBe(ADDON);
  commit('slow', { 'addon.cc': doubled });
  writeFileSync(join(work, 'config.json'), JSON.stringify({ 'profile-budget': BUDGET_SECONDS }));
});

describe('benchgate compare: differential profiles into a native addon', () => {
  it.skipIf(why !== null)(
    'names the C++ function whose work doubled first, with its file and line',
    async () => {
      const r = await runCli(
        [
          'compare',
          '--base',
          sha.base as string,
          '--head',
          sha.slow as string,
          '--config',
          join(work, 'config.json'),
          '--min-rounds',
          '8',
          '--max-rounds',
          '8',
          '--time-budget',
          '1',
          '--threshold',
          '5%',
          '--build-command',
          `sh build.sh ${join(ROOT, 'node_modules', 'node-addon-api')}`,
          '--suite',
          'suite.mjs',
          '--db',
          join(work, 'history.db'),
          '--report-markdown',
          join(work, 'out', 'report.md'),
          '--json',
        ],
        { cwd: repo },
      );
      expect(r.code, r.stderr).toBe(1);
      const report = JSON.parse(r.stdout) as RunReport;
      const deep = report.benchmarks.find((b) => b.name === 'deep/native/small');
      expect(deep?.verdict?.kind).toBe('regressed');
      const profile = deep?.profile;
      expect(profile?.note, profile?.note).toBeUndefined();
      expect(profile?.profiler).toBe('V8 CPU profiler and perf');
      const first = profile?.top[0];
      // The demangled symbol, and a line of leafWork's body in addon.cc (relative to the checkout).
      expect(first?.function).toBe('leafWork(int)');
      expect(first?.file).toBe('addon.cc');
      expect(first?.line).toBeGreaterThanOrEqual(LEAF_LINE);
      expect(first?.line).toBeLessThan(LEAF_LINE + 5);
      expect(first?.headMsPerCall).toBeGreaterThan(1.5 * (first?.baseMsPerCall ?? Infinity));
      // V8's native frame keeps only what perf did not find in the addon (V8 counts wall time,
      // perf CPU time, so the rest grows with the machine's load): less than the function that grew.
      for (const l of profile?.top.filter((x) => x.function.startsWith('(native code')) ?? [])
        expect(l.deltaMsPerCall).toBeLessThan((first?.deltaMsPerCall ?? 0) / 2);
      const profiling = report.settings.profiling as { seconds: number; budgetSeconds: number; profiled: string[] };
      expect(profiling).toMatchObject({ budgetSeconds: BUDGET_SECONDS, profiled: ['deep/native/small'] });
      expect(profiling.seconds).toBeLessThanOrEqual(BUDGET_SECONDS);
      const md = readFileSync(join(work, 'out', 'report.md'), 'utf8');
      // The renderer escapes the parentheses of a name that is not a plain identifier.
      expect(md).toMatch(/\n {2}- \+[0-9.]+ (?:ms|µs)\/call in leafWork\\\(int\\\) \(addon\.cc:\d+\)\n/);
      console.log(`native profile of deep/native/small: ${profile?.seconds} s (${JSON.stringify(profile?.top)})`);
    },
    240_000,
  );
});
