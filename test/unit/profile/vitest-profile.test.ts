/**
 * vitest CPU profiles without a benchmark run: the `.cpuprofile`, vitest's JSON report and the
 * source maps captured from real `vitest bench` runs (test/fixtures/profile-vitest/README.md),
 * whose head doubles the work of `leaf`, read into the benchmark's own self times per call and
 * their differential; which frames are the benchmark's; malformed input; how a `vitest` harness
 * benchmark is narrowed to its file and name.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCpuProfile, ProfileError } from '../../../src/profile/cpu-profile.js';
import { differential } from '../../../src/profile/differential.js';
import { harnessProfilePlan } from '../../../src/profile/harness-profile.js';
import {
  benchmarkNodes,
  parseVitestProfile,
  profileVitestBenchmark,
  readCapturedSourceMaps,
  sourceMapPreload,
  VITEST_PROFILER,
  VitestPlaces,
  vitestBenchmarkTarget,
  vitestMissing,
  vitestRunFigures,
  vitestSelfTimes,
} from '../../../src/profile/vitest-profile.js';
import { ROOT, tempDir } from '../../helpers.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'profile-vitest');
/** Where capture.sh put the two checkouts. */
const CAPTURED_AT = '/tmp/benchgate-vitest-fixture';
const OWN = 'bench/deep.bench.ts > deep > run';
const fixture = (file: string) => readFileSync(join(FIXTURES, file), 'utf8');

function side(name: 'base' | 'head') {
  const figures = vitestRunFigures(JSON.parse(fixture(`${name}.json`)), OWN, `the ${name} report`);
  const { profile } = parseVitestProfile(fixture(`${name}.cpuprofile`), `the ${name} fixture`);
  const places = new VitestPlaces(join(CAPTURED_AT, name), readCapturedSourceMaps(join(FIXTURES, `${name}.maps`)));
  const times = vitestSelfTimes(profile, figures, (frame) => places.place(frame), `the ${name} fixture`);
  return { figures, profile, places, times };
}

describe('vitest bench under V8’s CPU profiler', () => {
  it('reads the measured calls and mean of the benchmark from vitest’s report', () => {
    expect(side('base').figures).toEqual({ meanMs: expect.closeTo(1.908, 2), sampleCount: 105 });
    expect(side('head').figures).toEqual({ meanMs: expect.closeTo(3.671, 2), sampleCount: 55 });
    const report = JSON.parse(fixture('base.json'));
    expect(() => vitestRunFigures(report, 'bench/deep.bench.ts > deep > walk', 'the report')).toThrow(
      'the report: the vitest report has no benchmark bench/deep.bench.ts > deep > walk (did the filter match it?)',
    );
    // A benchmark that threw comes back without timings.
    const threw = structuredClone(report);
    delete threw.files[0].groups[0].benchmarks[0].mean;
    expect(() => vitestRunFigures(threw, OWN, 'the report')).toThrow(/no timings for .* the benchmark threw$/);
    expect(() => vitestRunFigures({ files: 'x' }, OWN, 'the report')).toThrow(ProfileError);
  });

  it('mends the negative column V8 gives vitest’s module wrapper, which the plain reader refuses', () => {
    expect(() => parseCpuProfile(fixture('head.cpuprofile'), 'head')).toThrow(/columnNumber: expected an integer ≥ -1/);
    const { profile, json } = parseVitestProfile(fixture('head.cpuprofile'), 'head');
    expect(profile.samples.length).toBeGreaterThan(1000);
    // What is written beside the report opens in the plain reader too.
    expect(() => parseCpuProfile(JSON.stringify(json), 'written')).not.toThrow();
    expect(() => parseVitestProfile('{"nodes": 3}', 'bad')).toThrow(/^bad: 'nodes' must be an array/);
    expect(() => parseVitestProfile('not json', 'bad')).toThrow(/^bad: not JSON/);
  });

  it('counts the benchmark’s own code only: not vitest, tinybench, its timer or vitest’s listeners', () => {
    const { profile } = side('base');
    const inside = benchmarkNodes(profile);
    const urls = new Set([...inside].map((id) => profile.frames.get(id)!.url));
    expect([...urls].sort()).toEqual([
      `file://${CAPTURED_AT}/base/bench/deep.bench.ts`,
      `file://${CAPTURED_AT}/base/bench/deep.ts`,
    ]);
    // Outside: the bench file's top level (its set-up loop), vitest's RPC from tinybench's event
    // listeners, start-up, module loading.
    const topLevel = [...profile.frames].filter(([, f]) => f.url.endsWith('/deep.bench.ts') && f.lineNumber === 0);
    expect(topLevel.length).toBeGreaterThan(0);
    for (const [id] of topLevel) expect(inside.has(id)).toBe(false);
    const outside = [...profile.frames.keys()].filter((id) => !inside.has(id));
    expect(outside.map((id) => profile.frames.get(id)!.url).some((u) => /node_modules\/vitest\//.test(u))).toBe(true);
  });

  it('names functions at their TypeScript lines through the source maps vitest compiled with', () => {
    const { times, profile } = side('base');
    const names = times.self.map((f) => `${f.function} ${f.file}:${f.line}`);
    expect(names.slice(0, 2)).toEqual(['leaf bench/deep.ts:9', 'own bench/deep.ts:19']);
    expect(names).toContain('middle bench/deep.ts:15');
    expect(names).toContain('run bench/deep.ts:25');
    // Without the maps, the line is the one in vite's output.
    const bare = new VitestPlaces(join(CAPTURED_AT, 'base'), new Map());
    const leaf = [...profile.frames.values()].find((f) => f.functionName === 'leaf')!;
    expect(bare.place(leaf)).toEqual({ file: 'bench/deep.ts', line: leaf.lineNumber + 1 });
    expect(leaf.lineNumber + 1).not.toBe(9);
  });

  it('divides by the calls profiled, warm-up included, estimated from the time in the benchmark', () => {
    for (const name of ['base', 'head'] as const) {
      const { times, figures } = side(name);
      // The fixture's warm-up is 50 ms, and tinybench calls the function once more before each phase.
      const expected = figures.sampleCount + 50 / figures.meanMs + 2;
      expect(times.calls).toBeGreaterThan(figures.sampleCount);
      expect(Math.abs(times.calls - expected) / expected).toBeLessThan(0.1);
      // The benchmark's self times add up to about its mean time per call.
      const perCall = times.self.reduce((sum, f) => sum + f.msPerCall, 0);
      expect(Math.abs(perCall - figures.meanMs) / figures.meanMs).toBeLessThan(0.1);
    }
  });

  it('names leaf first, near twice as long per call, and nothing else grew as much', () => {
    const top = differential(side('base').times.self, side('head').times.self);
    expect(top[0]).toMatchObject({ function: 'leaf', file: 'bench/deep.ts', line: 9 });
    expect(top[0]!.headMsPerCall / top[0]!.baseMsPerCall).toBeGreaterThan(1.6);
    expect(top[0]!.headMsPerCall / top[0]!.baseMsPerCall).toBeLessThan(2.4);
    expect(top.slice(1).every((l) => l.deltaMsPerCall < top[0]!.deltaMsPerCall / 4)).toBe(true);
  });

  it('fails with the profile’s name when it caught nothing of the benchmark', () => {
    const { profile } = side('base');
    const startOnly = { ...profile, samples: profile.samples.filter((id) => !benchmarkNodes(profile).has(id)) };
    startOnly.durations = startOnly.samples.map(() => 100);
    expect(() => vitestSelfTimes(startOnly, side('base').figures, () => ({ file: '', line: 0 }), 'the x')).toThrow(
      "the x: the CPU profile caught no sample in the benchmark's own code",
    );
  });

  it('keeps the source maps that parse and skips the rest', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'maps'));
    writeFileSync(join(dir, 'maps', '1.json'), fixture('base.maps/1.json'));
    writeFileSync(join(dir, 'maps', '2.json'), '{"file": "/x.ts", "map": {"sources": 3}}');
    writeFileSync(join(dir, 'maps', '3.json'), '{"file": ');
    const maps = readCapturedSourceMaps(join(dir, 'maps'));
    expect(maps.size).toBe(1);
    expect(readCapturedSourceMaps(join(dir, 'none')).size).toBe(0);
  });

  it('writes a preload module that parses', () => {
    const text = sourceMapPreload('/tmp/out "dir"');
    expect(text).toContain(JSON.stringify('/tmp/out "dir"'));
    // Checked by the JS parser as a module body (an async function parses `import` only at the top level).
    expect(() => new Function(text.replace(/^import .*$/gm, ''))).not.toThrow();
  });

  it('narrows a benchmark to its file and name, or says why it cannot', () => {
    expect(vitestBenchmarkTarget(OWN)).toEqual({
      own: OWN,
      filter: " bench/deep.bench.ts --testNamePattern '^(?:deep(?: | > )run)$'",
    });
    expect(vitestBenchmarkTarget('no file')).toBeNull();
    const entry = { harness: 'vitest', command: 'npx vitest bench --run', cwd: null } as never;
    expect(harnessProfilePlan(entry, OWN)).toEqual({
      profiler: VITEST_PROFILER,
      target: vitestBenchmarkTarget(OWN),
      command: 'npx vitest bench --run',
    });
    expect(harnessProfilePlan(entry, 'no file')).toEqual({ missing: "its name 'no file' has no file to run it from" });
  });

  it('does not start when the budget cannot hold both sides', async () => {
    const nowhere = { root: '/nowhere', cwd: '/nowhere' };
    await expect(
      profileVitestBenchmark(vitestBenchmarkTarget(OWN)!, {
        command: 'npx vitest bench --run',
        sides: { base: { side: 'base', ...nowhere }, head: { side: 'head', ...nowhere } },
        dir: '/nowhere',
        secondsLeft: () => 3.5,
        budgetSeconds: 60,
        what: 'vitest/x',
      }),
    ).rejects.toThrow(
      /^3\.5 s of the profile budget \(60 s\) were left, a vitest profile of both sides takes about 4 s at least$/,
    );
  });
});

describe('vitest not installed', () => {
  it('names what is missing', () => {
    const dir = tempDir();
    expect(vitestMissing(dir)).toBe(
      `vitest was not found from ${dir} (no node_modules/vitest: install the project's dependencies)`,
    );
    expect(vitestMissing(ROOT)).toBeNull();
  });
});
