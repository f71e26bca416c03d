/**
 * V8 CPU profiles of `vitest bench` regressions end to end: `benchgate compare` on a git
 * repository made here from test/fixtures/profile-vitest/, whose head commit doubles the work of
 * `leaf`, two calls below the benchmark; the differential names `leaf` first at its TypeScript
 * file and line, the `.cpuprofile` files are written beside the report and parse as Chrome CPU
 * profiles, and the comment shows the lines. With a budget too short for both sides, the
 * regression says so.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProfileTreeNode, RunReport } from '../../src/model.js';
import { growthPath } from '../../src/profile/call-tree.js';
import { parseCpuProfile } from '../../src/profile/cpu-profile.js';
import { gitRepo, ROOT, runCli, tempDir } from '../helpers.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/profile-vitest');
const vitestBin = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
const canRun = spawnSync(process.execPath, [vitestBin, '--version'], { stdio: 'ignore' }).status === 0;
const skipped = canRun ? '' : ` (skipped: ${vitestBin} does not run; npm ci installs vitest)`;

const work = tempDir('benchgate-profile-vitest-');

/** A git repository holding the fixture's project as the base, and a head commit that doubles LEAF_WORK. */
function makeRepo(repo: string): void {
  mkdirSync(repo, { recursive: true });
  cpSync(join(FIXTURE, 'vitest.config.ts'), join(repo, 'vitest.config.ts'));
  cpSync(join(FIXTURE, 'bench'), join(repo, 'bench'), { recursive: true });
  writeFileSync(join(repo, 'package.json'), JSON.stringify({ private: true, type: 'module' }));
  writeFileSync(join(repo, '.gitignore'), 'node_modules\n');
  writeFileSync(
    join(repo, 'benchgate.config.json'),
    JSON.stringify({
      // Each checkout finds vitest in this repository's node_modules.
      'build-command': `ln -sfn ${JSON.stringify(join(ROOT, 'node_modules'))} node_modules`,
      harnesses: [
        {
          harness: 'vitest',
          command: `${JSON.stringify(process.execPath)} node_modules/vitest/vitest.mjs bench --run`,
        },
      ],
    }),
  );
  const git = gitRepo(repo);
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  const deep = join(repo, 'bench', 'deep.ts');
  const doubled = readFileSync(deep, 'utf8').replace(
    /^export const LEAF_WORK = (\d+);$/m,
    (_, n: string) => `export const LEAF_WORK = ${2 * Number(n)};`,
  );
  expect(doubled).not.toBe(readFileSync(deep, 'utf8'));
  writeFileSync(deep, doubled);
  git('commit', '-q', '-am', 'twice the leaf work');
}

const compareArgs = (out: string, extra: string[] = []) => [
  'compare',
  '--base',
  'HEAD~1',
  '--head',
  'HEAD',
  '--min-rounds',
  '12',
  '--max-rounds',
  '12',
  '--threshold',
  '5%',
  '--db',
  join(out, 'history.db'),
  '--report-markdown',
  join(out, 'report.md'),
  '--report-json',
  join(out, 'report.json'),
  '--json',
  ...extra,
];

const NAME = 'vitest/bench/deep.bench.ts > deep > run';
const FOLDER = 'benchgate-profiles/vitest/bench/deep.bench.ts___deep___run';

describe('benchgate compare: V8 CPU profiles of vitest bench regressions', () => {
  it.skipIf(!canRun)(
    `names the TypeScript function whose work doubled first${skipped}`,
    async () => {
      const repo = join(work, 'vitest');
      makeRepo(repo);
      const out = join(work, 'vitest-out');
      const r = await runCli(compareArgs(out), { cwd: repo });
      expect(r.code, r.stderr + r.stdout.slice(0, 3000)).toBe(1);
      const report = JSON.parse(r.stdout) as RunReport;
      const b = report.benchmarks.find((x) => x.name === NAME);
      expect(b?.verdict?.kind, b?.verdict?.reason).toBe('regressed');
      const p = b?.profile;
      expect(p?.note, p?.note).toBeUndefined();
      expect(p?.profiler).toBe('V8 CPU profiler (vitest)');
      const first = p!.top[0]!;
      // leaf is at line 9 of the TypeScript source; vite's output has it elsewhere.
      expect(first).toMatchObject({ function: 'leaf', file: 'bench/deep.ts', line: 9 });
      // Sampled CPU time on a loaded machine: clearly more, near twice.
      expect(first.headMsPerCall).toBeGreaterThan(1.25 * first.baseMsPerCall);
      expect(p!.top.slice(1).every((l) => l.deltaMsPerCall < first.deltaMsPerCall / 2)).toBe(true);
      // Nothing of vitest's start-up or of the module's set-up loop is in the differential.
      for (const l of p!.top) expect(l.file).toMatch(/^bench\//);
      // The call tree starts under tinybench's loop, and the growth runs down to leaf.
      const tree = p?.tree;
      expect(tree, 'a call tree').toBeDefined();
      const path = growthPath(tree!.root).map((n) => n.function);
      expect(path.at(-1), path.join(' → ')).toBe('leaf');
      expect(path.length, path.join(' → ')).toBeGreaterThanOrEqual(3);
      const names = (n: ProfileTreeNode): string[] => [n.function, ...n.children.flatMap(names)];
      expect(names(tree!.root).some((f) => /tinybench|vitest/.test(f))).toBe(false);
      expect(p?.files).toEqual({ base: `${FOLDER}/base.cpuprofile`, head: `${FOLDER}/head.cpuprofile` });
      // The files are Chrome CPU profiles with leaf in them.
      for (const side of ['base', 'head'] as const) {
        const text = readFileSync(join(out, p!.files![side]), 'utf8');
        const profile = parseCpuProfile(text, side);
        expect([...profile.frames.values()].some((f) => f.functionName === 'leaf')).toBe(true);
      }
      const md = readFileSync(join(out, 'report.md'), 'utf8');
      expect(md).toMatch(/\n {2}- \+[0-9.]+ (?:ms|µs)\/call in `leaf` \(bench\/deep\.ts:9\)\n/);
      expect(md).toMatch(/\n {2}- where it grew: .*`run` → `middle` → `leaf`\n/);
      const profiling = report.settings.profiling as { seconds: number; budgetSeconds: number; profiled: string[] };
      expect(profiling.profiled).toEqual([NAME]);
      expect(profiling.seconds).toBeLessThanOrEqual(60);
      expect(p!.seconds).toBeLessThanOrEqual(60);
    },
    300_000,
  );

  it.skipIf(!canRun)(
    `says the budget was too short for both sides${skipped}`,
    async () => {
      const repo = join(work, 'short');
      makeRepo(repo);
      const out = join(work, 'short-out');
      const r = await runCli(compareArgs(out, ['--profile-budget', '3']), { cwd: repo });
      expect(r.code, r.stderr + r.stdout.slice(0, 3000)).toBe(1);
      const report = JSON.parse(r.stdout) as RunReport;
      const b = report.benchmarks.find((x) => x.name === NAME);
      expect(b?.verdict?.kind, b?.verdict?.reason).toBe('regressed');
      expect(b?.profile).toMatchObject({ profiler: 'V8 CPU profiler (vitest)', top: [], files: null });
      expect(b?.profile?.note).toMatch(
        /^not profiled: [0-9.]+ s of the profile budget \(3 s\) were left, a vitest profile of both sides takes about 4 s at least$/,
      );
    },
    300_000,
  );
});
