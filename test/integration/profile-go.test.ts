/**
 * Go CPU profiles of `go test -bench` regressions end to end: `benchgate compare` on a git
 * repository made here from test/fixtures/profile-go/, whose head commit doubles the work of
 * `leaf`, two calls below the benchmark; the differential names `leaf` first with its file and
 * line, the `.pprof` files are written beside the report and open in `go tool pprof`, and the
 * comment shows the lines. With go run by its full path and not on PATH, the regression says the
 * profiler was missing.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/model.js';
import { gitRepo, runCli, tempDir } from '../helpers.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/profile-go');
const goPath = spawnSync('sh', ['-c', 'command -v go'], { encoding: 'utf8' }).stdout.trim();
const hasGo = goPath !== '' && spawnSync(goPath, ['version'], { stdio: 'ignore' }).status === 0;
const skipped = hasGo ? '' : ' (skipped: go is not on PATH; Debian: golang-go)';

const work = tempDir('benchgate-profile-go-');

/** A git repository holding the fixture's module as the base, and a head commit that doubles LeafWork. */
function makeRepo(repo: string, command: string): void {
  mkdirSync(repo, { recursive: true });
  cpSync(join(FIXTURE, 'go.mod'), join(repo, 'go.mod'));
  cpSync(join(FIXTURE, 'deep'), join(repo, 'deep'), { recursive: true });
  writeFileSync(
    join(repo, 'benchgate.config.json'),
    JSON.stringify({ 'build-command': 'true', harnesses: [{ harness: 'go', command }] }),
  );
  const git = gitRepo(repo);
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  const deep = join(repo, 'deep', 'deep.go');
  const doubled = readFileSync(deep, 'utf8').replace(
    /^const LeafWork = (\d+)$/m,
    (_, n: string) => `const LeafWork = ${2 * Number(n)}`,
  );
  writeFileSync(deep, doubled);
  git('commit', '-q', '-am', 'twice the leaf work');
}

const compareArgs = (out: string, rounds: string) => [
  'compare',
  '--base',
  'HEAD~1',
  '--head',
  'HEAD',
  // A 2-core VM that runs at two speeds leaves 10 rounds inconclusive now and then (p = 0.013).
  '--min-rounds',
  rounds,
  '--max-rounds',
  rounds,
  '--time-budget',
  '0.3',
  '--threshold',
  '5%',
  '--db',
  join(out, 'history.db'),
  '--report-markdown',
  join(out, 'report.md'),
  '--report-json',
  join(out, 'report.json'),
  '--json',
];

const NAME = 'go/example.com/deep/deep/BenchmarkDeep';

describe('benchgate compare: Go CPU profiles of go test -bench regressions', () => {
  it.skipIf(!hasGo)(
    `names the Go function whose work doubled first${skipped}`,
    async () => {
      const repo = join(work, 'go');
      makeRepo(repo, 'go test -run ^$ -bench . ./...');
      const out = join(work, 'go-out');
      const r = await runCli(compareArgs(out, '16'), { cwd: repo });
      expect(r.code, r.stderr + r.stdout.slice(0, 3000)).toBe(1);
      const report = JSON.parse(r.stdout) as RunReport;
      const b = report.benchmarks.find((x) => x.name === NAME);
      expect(b?.verdict?.kind, b?.verdict?.reason).toBe('regressed');
      const p = b?.profile;
      expect(p?.note, p?.note).toBeUndefined();
      expect(p?.profiler).toBe('pprof');
      const first = p!.top[0]!;
      expect(first).toMatchObject({ function: 'example.com/deep/deep.leaf', file: 'deep/deep.go' });
      // leaf's loop is lines 13–14 of deep.go.
      expect(first.line).toBeGreaterThanOrEqual(13);
      expect(first.line).toBeLessThanOrEqual(14);
      // Sampled CPU time on a loaded machine: clearly more, near twice.
      expect(first.headMsPerCall).toBeGreaterThan(1.4 * first.baseMsPerCall);
      expect(p!.top.slice(1).every((l) => l.deltaMsPerCall < first.deltaMsPerCall / 2)).toBe(true);
      expect(p?.files).toEqual({
        base: 'benchgate-profiles/go/example.com/deep/deep/BenchmarkDeep/base.pprof',
        head: 'benchgate-profiles/go/example.com/deep/deep/BenchmarkDeep/head.pprof',
      });
      // The files are Go CPU profiles that go tool pprof reads, and leaf is in them.
      for (const side of ['base', 'head'] as const) {
        const top = spawnSync(goPath, ['tool', 'pprof', '-top', join(out, p!.files![side])], { encoding: 'utf8' });
        expect(top.status, top.stderr).toBe(0);
        expect(top.stdout).toMatch(/^Type: cpu$/m);
        expect(top.stdout).toContain('example.com/deep/deep.leaf');
      }
      const md = readFileSync(join(out, 'report.md'), 'utf8');
      // Go's qualified names are not plain identifiers: the comment shows them as text, not code.
      expect(md).toMatch(
        new RegExp(
          `\\n {2}- \\+[0-9.]+ (?:ms|µs)/call in example\\.com/deep/deep\\.leaf \\(deep/deep\\.go:${first.line}\\)\\n`,
        ),
      );
      const profiling = report.settings.profiling as { seconds: number; budgetSeconds: number; profiled: string[] };
      expect(profiling.profiled).toEqual([NAME]);
      expect(profiling.seconds).toBeLessThanOrEqual(60);
      expect(p!.seconds).toBeLessThanOrEqual(60);
    },
    300_000,
  );

  it.skipIf(!hasGo)(
    `says the profiler was missing when go is not on PATH${skipped}`,
    async () => {
      const repo = join(work, 'no-path');
      // The harness runs go by its full path; the profiler looks for go on PATH.
      makeRepo(repo, `${goPath} test -run ^$ -bench . ./...`);
      const bin = join(work, 'bin');
      mkdirSync(bin, { recursive: true });
      for (const tool of ['sh', 'git']) {
        const at = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
        symlinkSync(at, join(bin, tool));
      }
      const out = join(work, 'no-path-out');
      const r = await runCli(compareArgs(out, '16'), { cwd: repo, env: { PATH: bin } });
      expect(r.code, r.stderr + r.stdout.slice(0, 3000)).toBe(1);
      const report = JSON.parse(r.stdout) as RunReport;
      const b = report.benchmarks.find((x) => x.name === NAME);
      expect(b?.verdict?.kind, b?.verdict?.reason).toBe('regressed');
      expect(b?.profile).toMatchObject({
        profiler: 'pprof',
        top: [],
        files: null,
        note: 'not profiled: pprof was not found: go is not on PATH',
      });
      expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain(
        '  - not profiled: pprof was not found: go is not on PATH\n',
      );
    },
    300_000,
  );
});
