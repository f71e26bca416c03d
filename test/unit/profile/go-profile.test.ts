/**
 * Go CPU profiles without a benchmark run: `go tool pprof -raw` output captured from real `go test
 * -cpuprofile` runs (test/fixtures/profile-go/README.md), whose head doubles the work of `leaf`,
 * read into self times per iteration and their differential; malformed output; how a `go`
 * harness benchmark is narrowed to its package and name.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProfileError } from '../../../src/profile/cpu-profile.js';
import {
  goBenchmarkTarget,
  goDifferential,
  goIterations,
  goIterationsRun,
  goProfiledCalls,
  parsePprofRaw,
  pprofSelfTimes,
  profileGoBenchmark,
} from '../../../src/profile/go-profile.js';
import { harnessProfilePlan } from '../../../src/profile/harness-profile.js';
import { ROOT } from '../../helpers.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'profile-go');
/** Where capture.sh put the two checkouts. */
const CAPTURED_AT = '/tmp/benchgate-go-fixture';
const fixture = (file: string) => readFileSync(join(FIXTURES, file), 'utf8');
const target = goBenchmarkTarget('example.com/deep/deep/BenchmarkDeep')!;
const hasGo = spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;

function side(name: 'base' | 'head') {
  const raw = parsePprofRaw(fixture(`${name}.raw.txt`), `the ${name} fixture`);
  const iterations = goIterationsRun(fixture(`${name}.stdout.txt`), target)!;
  return { raw, iterations, self: pprofSelfTimes(raw, goProfiledCalls(iterations), `${CAPTURED_AT}/${name}`) };
}

describe('go tool pprof -raw output', () => {
  it('reads every sample and location of a real profile', () => {
    const { raw } = side('head');
    expect(raw.samples).toHaveLength(6);
    expect(raw.samples.reduce((sum, s) => sum + s.nanoseconds, 0)).toBe(2_050_000_000);
    expect(raw.samples[0]).toEqual({ nanoseconds: 1_160_000_000, locations: [1, 2, 3, 4, 5, 6] });
    expect(raw.locations.size).toBe(12);
    expect(raw.locations.get(5)).toEqual([
      { function: 'testing.(*B).runN', file: '/usr/lib/go-1.19/src/testing/benchmark.go', line: 193 },
    ]);
  });

  it('gives each function’s own time per iteration at each line, files relative to the checkout', () => {
    const { self, iterations } = side('base');
    expect(iterations).toBe(40_000);
    // 72 + 16 samples of 10 ms in leaf's two lines, over 40,000 iterations and Go's first call.
    const leaf = self.filter((c) => c.function === 'example.com/deep/deep.leaf');
    expect(leaf.map((c) => [c.file, c.line])).toEqual([
      ['deep/deep.go', 14],
      ['deep/deep.go', 13],
    ]);
    expect(leaf.reduce((sum, c) => sum + c.perCall, 0)).toBeCloseTo(880_000_000 / 40_001, 6);
  });

  it('names leaf first in the differential, at the line where its time grew most', () => {
    const top = goDifferential(side('base').self, side('head').self);
    expect(top[0]).toMatchObject({ function: 'example.com/deep/deep.leaf', file: 'deep/deep.go', line: 14 });
    const first = top[0]!;
    // Each side is the function's whole own time (both its lines), in ms per iteration.
    expect(first.baseMsPerCall).toBeCloseTo(880_000_000 / 40_001 / 1e6, 5);
    expect(first.headMsPerCall).toBeCloseTo(1_720_000_000 / 40_001 / 1e6, 5);
    expect(first.headMsPerCall / first.baseMsPerCall).toBeGreaterThan(1.9);
    // own did the same work on both sides: it did not grow.
    expect(top.some((l) => l.function === 'example.com/deep/deep.own')).toBe(false);
  });

  it.skipIf(!hasGo)(
    `is what this machine's go tool pprof prints of the captured profiles${hasGo ? '' : ' (skipped: go is not on PATH)'}`,
    () => {
      for (const name of ['base', 'head']) {
        const r = spawnSync('go', ['tool', 'pprof', '-raw', join(FIXTURES, `${name}.pprof`)], { encoding: 'utf8' });
        expect(r.status, r.stderr).toBe(0);
        expect(r.stdout).toBe(fixture(`${name}.raw.txt`));
      }
    },
  );

  it('reads inlined frames, locations without a symbol and sample labels', () => {
    const text = [
      'PeriodType: cpu nanoseconds',
      'Samples:',
      'samples/count cpu/nanoseconds',
      '          3   30000000: 1 2 ',
      '                thread: [7]',
      '          1   10000000: 3 ',
      'Locations',
      '     1: 0x4f50ca M=1 p.Run /my work/p/p.go:36 s=30',
      '             p.BenchmarkX /my work/p/p_test.go:7 s=5',
      '     2: 0x4ac5e1 M=1 testing.(*B).runN /go/src/testing/benchmark.go:193 s=0',
      '     3: 0x7f00 M=2 ',
      'Mappings',
      '1: 0x400000/0x4f6000/0x0 /tmp/x.test  [FN]',
    ].join('\n');
    const raw = parsePprofRaw(text, 'x');
    expect(raw.locations.get(1)).toEqual([
      { function: 'p.Run', file: '/my work/p/p.go', line: 36 },
      { function: 'p.BenchmarkX', file: '/my work/p/p_test.go', line: 7 },
    ]);
    expect(pprofSelfTimes(raw, 10, '/my work')).toEqual([
      { function: 'p.Run', file: 'p/p.go', line: 36, perCall: 3_000_000 },
      { function: '(unknown)', file: '', line: 0, perCall: 1_000_000 },
    ]);
  });

  it('says what is wrong with output that is not a CPU profile’s', () => {
    const bad = (text: string, message: RegExp) => {
      expect(() => parsePprofRaw(text, 'the head profile')).toThrow(ProfileError);
      expect(() => parsePprofRaw(text, 'the head profile')).toThrow(message);
    };
    bad('', /^the head profile: no Samples section/);
    bad('Samples:\nsamples/count space/bytes\n', /no cpu\/nanoseconds among the sample types/);
    bad('Samples:\nsamples/count cpu/nanoseconds\nnot a sample\n', /line 3 is not a sample/);
    bad('Samples:\nsamples/count cpu/nanoseconds\n 1 10: 9\nLocations\n', /names location 9, which is not listed/);
    bad('Samples:\nsamples/count cpu/nanoseconds\nLocations\n 1: 0x1 M=1 nonsense\n', /line 4 is not a frame/);
    bad('Samples:\nsamples/count cpu/nanoseconds\n 1: 1\n', /line 3: a sample without its cpu\/nanoseconds value/);
  });
});

describe('go harness benchmarks under the CPU profiler', () => {
  it('finds the package and the Go name in a benchmark’s name', () => {
    expect(target).toEqual({ importPath: 'example.com/deep/deep', name: 'BenchmarkDeep', pattern: '^BenchmarkDeep$' });
    expect(goBenchmarkTarget('example.com/m/p/BenchmarkSort/size=8')).toEqual({
      importPath: 'example.com/m/p',
      name: 'BenchmarkSort/size=8',
      pattern: '^BenchmarkSort$/^size=8$',
    });
    expect(goBenchmarkTarget('BenchmarkAlone')).toBeNull();
    expect(
      harnessProfilePlan({ harness: 'go', command: 'go test -bench . ./...', cwd: null } as never, 'm/p/BenchmarkX'),
    ).toEqual({ profiler: 'pprof', target: { importPath: 'm/p', name: 'BenchmarkX', pattern: '^BenchmarkX$' } });
    expect(harnessProfilePlan({ harness: 'go', command: 'go test', cwd: null } as never, 'no/benchmark')).toEqual({
      missing: "its name 'no/benchmark' has no Go package and Benchmark function to run",
    });
  });

  it('reads the iterations a run reports, with or without the GOMAXPROCS suffix', () => {
    expect(goIterationsRun('BenchmarkDeep-2   \t   40000\t     30773 ns/op\n', target)).toBe(40_000);
    expect(goIterationsRun('BenchmarkDeep \t 7 \t 1.5 ns/op\t 0 B/op\n', target)).toBe(7);
    expect(goIterationsRun('BenchmarkDeeper-2 \t 7 \t 1.5 ns/op\n', target)).toBeNull();
    expect(goIterationsRun('--- FAIL: BenchmarkDeep\nFAIL\n', target)).toBeNull();
    const sub = goBenchmarkTarget('m/p/BenchmarkSort/size=8')!;
    expect(goIterationsRun('BenchmarkSort/size=8-4   \t 100\t 5 ns/op\n', sub)).toBe(100);
    // Go runs the benchmark once with b.N = 1 before the asked iterations.
    expect(goProfiledCalls(100)).toBe(101);
    expect(goProfiledCalls(1)).toBe(1);
  });

  it('runs nothing when the budget left cannot cover both sides, and says so', async () => {
    const sides = { base: { side: 'base' as const, root: '/nowhere', cwd: '/nowhere' } };
    await expect(
      profileGoBenchmark(target, {
        sides: { ...sides, head: { side: 'head', root: '/nowhere', cwd: '/nowhere' } },
        dir: '/nowhere',
        secondsPerCall: 1e-5,
        secondsLeft: () => 3.5,
        budgetSeconds: 60,
        what: 'go/x',
      }),
    ).rejects.toThrow(
      /^3\.5 s of the profile budget \(60 s\) were left, a Go profile of both sides takes about 4 s at least$/,
    );
  });

  it('asks for the seconds of iterations at the measured pace, two at least', () => {
    expect(goIterations(0.001, 2)).toBe(2000);
    expect(goIterations(10, 2)).toBe(2);
    expect(goIterations(null, 2)).toBe(1e9);
  });
});
