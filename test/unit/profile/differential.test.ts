/**
 * The differential of two CPU profiles captured from real runs (test/fixtures/profile/README.md):
 * a kernel whose helper `leafWork` does twice the work on the head. Also malformed and hostile
 * profiles, and the differential's rules on small inputs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkCpuProfile, parseCpuProfile, ProfileError, type CpuProfile } from '../../../src/profile/cpu-profile.js';
import {
  countDifferential,
  differential,
  matchLines,
  scaled,
  selfTimes,
  toMeasured,
  type SelfTime,
} from '../../../src/profile/differential.js';
import { SourceResolver } from '../../../src/profile/source-map.js';
import { ROOT } from '../../helpers.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'profile');
/** Where the fixtures were captured; their URLs are moved to wherever this checkout is. */
const CAPTURED_AT = 'file:///work/main/test/fixtures/profile/';

function fixture(side: 'base' | 'head'): { profile: CpuProfile; calls: number } {
  const text = readFileSync(join(FIXTURES, `${side}.cpuprofile`), 'utf8')
    .split(CAPTURED_AT)
    .join(`${pathToFileURL(FIXTURES).href}/`);
  const { calls } = JSON.parse(readFileSync(join(FIXTURES, `${side}.calls.json`), 'utf8')) as { calls: number };
  return { profile: parseCpuProfile(text, `the ${side} fixture`), calls };
}

function times(side: 'base' | 'head', root = join(FIXTURES, side)): SelfTime[] {
  const { profile, calls } = fixture(side);
  const resolver = new SourceResolver(root);
  return selfTimes(profile, calls, (id) => resolver.place(profile.frames.get(id)!));
}

describe('CPU profiles captured from real runs', () => {
  it('reads every sample, and times each by the ticks around it', () => {
    const base = fixture('base');
    expect(base.calls).toBe(98);
    expect(base.profile.samples).toHaveLength(1871);
    expect(base.profile.frames.size).toBe(13);
    // The samples' durations cover the profile from its first tick to its end: 303,044 µs.
    expect(base.profile.durations.reduce((a, b) => a + b, 0)).toBe(303_044);
    const head = fixture('head');
    expect(head.calls).toBe(43);
    expect(head.profile.samples).toHaveLength(1596);
    expect(head.profile.durations.reduce((a, b) => a + b, 0)).toBe(301_470);
  });

  it('gives self time per call by function, named at its TypeScript line through the source map', () => {
    const base = times('base');
    expect(base[0]).toEqual({ function: 'leafWork', file: 'deep.ts', line: 7, msPerCall: expect.any(Number) });
    expect(base[0]?.msPerCall).toBeCloseTo(2.786867, 5);
    expect(base.find((f) => f.function === 'ownWork')).toMatchObject({ file: 'deep.ts', line: 17 });
    expect(times('head')[0]?.msPerCall).toBeCloseTo(6.436256, 5);
  });

  it('names the JavaScript file and line where there is no source map', () => {
    const { profile, calls } = fixture('base');
    const resolver = new SourceResolver(FIXTURES);
    const moved = (id: number) => {
      const frame = profile.frames.get(id)!;
      return resolver.place({ ...frame, url: frame.url.replace('/base/deep.js', '/nowhere/deep.js') });
    };
    expect(selfTimes(profile, calls, moved)[0]).toMatchObject({
      function: 'leafWork',
      file: 'nowhere/deep.js',
      line: 6,
    });
  });

  it('puts the helper whose work doubled first in the differential, with the exact figures', () => {
    const top = differential(times('base'), times('head'));
    expect(top[0]).toEqual({
      function: 'leafWork',
      file: 'deep.ts',
      line: 7,
      baseMsPerCall: 2.786867,
      headMsPerCall: 6.436256,
      deltaMsPerCall: 3.649388,
    });
    expect(top.length).toBeLessThanOrEqual(5);
    for (const [i, l] of top.entries()) {
      expect(l.deltaMsPerCall).toBeGreaterThan(0);
      if (i > 0) expect(l.deltaMsPerCall).toBeLessThanOrEqual(top[i - 1]!.deltaMsPerCall);
    }
  });
});

describe('the differential', () => {
  const f = (name: string, msPerCall: number): SelfTime => ({ function: name, file: 'a.ts', line: 1, msPerCall });

  it('counts a function on one side only as zero on the other, and lists only growth', () => {
    expect(differential([f('gone', 5), f('same', 1)], [f('new', 2), f('same', 1)])).toEqual([
      { function: 'new', file: 'a.ts', line: 1, baseMsPerCall: 0, headMsPerCall: 2, deltaMsPerCall: 2 },
    ]);
  });

  it('keeps the five largest growths and leaves out growth under 1% of the head', () => {
    const head = ['a', 'b', 'c', 'd', 'e', 'f'].map((n, i) => f(n, 10 - i));
    expect(differential([], head).map((l) => l.function)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(differential([], [f('big', 100), f('tiny', 0.5)]).map((l) => l.function)).toEqual(['big']);
  });

  it('tells the same function name in two files apart', () => {
    const other = { ...f('run', 3), file: 'b.ts' };
    expect(differential([f('run', 1)], [f('run', 1), other])).toMatchObject([{ function: 'run', file: 'b.ts' }]);
  });

  it('matches a function moved by lines added above it, named at the head’s line', () => {
    const at = (name: string, line: number, ms: number): SelfTime => ({ ...f(name, ms), line });
    expect(differential([at('leaf', 10, 1), at('run', 2, 1)], [at('leaf', 14, 3), at('run', 2, 1)])).toEqual([
      { function: 'leaf', file: 'a.ts', line: 14, baseMsPerCall: 1, headMsPerCall: 3, deltaMsPerCall: 2 },
    ]);
    // A name that repeats in its file keeps its lines: which one moved is not known.
    const anon = [at('(anonymous)', 3, 1), at('(anonymous)', 8, 1)];
    expect(matchLines(anon, [at('(anonymous)', 9, 1)])).toEqual(anon);
    expect(matchLines([at('(anonymous)', 9, 1)], anon)).toEqual([at('(anonymous)', 9, 1)]);
    const counts = countDifferential(
      [{ function: 'leaf', file: 'leaf.c', line: 3, perCall: 100 }],
      [{ function: 'leaf', file: 'leaf.c', line: 5, perCall: 300 }],
    );
    expect(counts).toEqual([
      { function: 'leaf', file: 'leaf.c', line: 5, basePerCall: 100, headPerCall: 300, deltaPerCall: 200 },
    ]);
  });
});

describe('malformed and hostile profiles', () => {
  const good = () => ({
    nodes: [
      { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 }, children: [2] },
      { id: 2, callFrame: { functionName: 'f', url: 'file:///x.js', lineNumber: 3, columnNumber: 0 } },
    ],
    startTime: 100,
    endTime: 400,
    samples: [2, 2, 1],
    timeDeltas: [0, 100, 100],
  });
  const bad = (change: (p: Record<string, unknown>) => void, message: RegExp) => {
    const p = good() as unknown as Record<string, unknown>;
    change(p);
    expect(() => checkCpuProfile(p, 'the head profile of x')).toThrow(ProfileError);
    expect(() => checkCpuProfile(p, 'the head profile of x')).toThrow(message);
  };

  it('reads a well-formed one: the last sample lasts until the end, the caller of each node is known', () => {
    const p = checkCpuProfile(good(), 'x');
    expect(p.durations).toEqual([100, 100, 100]);
    expect(p.parents.get(2)).toBe(1);
    expect(selfTimes(p, 2, () => ({ file: 'x.js', line: 4 }))).toEqual([
      { function: 'f', file: 'x.js', line: 4, msPerCall: 0.1 },
    ]);
  });

  it('names the profile and the field that is wrong', () => {
    expect(() => parseCpuProfile('{"nodes": [', 'the base profile of x')).toThrow(/the base profile of x: not JSON/);
    expect(() => parseCpuProfile('[]', 'p')).toThrow(/not a CPU profile/);
    bad((p) => delete p.nodes, /'nodes' must be an array/);
    bad((p) => (p.samples = [2, 7, 1]), /'samples\[1\]' names node 7, which is not in 'nodes'/);
    bad((p) => (p.timeDeltas = [0, 1]), /'timeDeltas' must be an array as long as 'samples' \(3\)/);
    bad((p) => (p.timeDeltas = [0, 'x', 1]), /'timeDeltas\[1\]' must be a number/);
    bad((p) => ((p.nodes as { id: number }[])[1]!.id = 1), /node id 1 appears twice/);
    bad(
      (p) => ((p.nodes as { callFrame: { lineNumber: unknown } }[])[1]!.callFrame.lineNumber = -5),
      /nodes\[1\]'\.callFrame\.lineNumber: expected an integer ≥ -1/,
    );
    bad(
      (p) => ((p.nodes as { callFrame: unknown }[])[0]!.callFrame = 'x'),
      /nodes\[0\]'\.callFrame: expected an object/,
    );
    bad((p) => ((p.nodes as { children: unknown }[])[0]!.children = 'x'), /'children' must be an array/);
    bad((p) => (p.endTime = 50), /'endTime': expected an integer ≥ 100/);
  });

  it('keeps only the fields it uses: a __proto__ key pollutes nothing', () => {
    const text = JSON.stringify(good()).replace('"functionName":"f"', '"functionName":"f","__proto__":{"polluted":1}');
    const p = parseCpuProfile(text, 'x');
    expect(Object.keys(p.frames.get(2)!)).toEqual(['functionName', 'url', 'lineNumber', 'columnNumber']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('caps long names and negative tick gaps', () => {
    const p = good();
    p.nodes[1]!.callFrame.functionName = 'f'.repeat(10_000);
    p.timeDeltas = [0, 250, -50];
    const checked = checkCpuProfile(p, 'x');
    expect(checked.frames.get(2)?.functionName).toHaveLength(500);
    expect(checked.durations.every((d) => d >= 0)).toBe(true);
  });
});

describe('self times scaled to the rounds', () => {
  const f = (fn: string, msPerCall: number): SelfTime => ({ function: fn, file: 'k.ts', line: 1, msPerCall });

  it('keeps a side’s shares and takes its total from the time per call its rounds measured', () => {
    // Base profiled in a fast spell, head in a slow one: every function seems 30% slower on head.
    const base = [f('leaf', 6), f('own', 4)];
    const head = [f('leaf', 7.8 * 1.1), f('own', 5.2)];
    // Unscaled, `own` seems to have grown as much as `leaf`'s real growth.
    expect(differential(base, head).map((l) => l.function)).toEqual(['leaf', 'own']);
    // The rounds measured base 10 ms and head 10.6 ms a call: only `leaf` grew.
    const top = differential(scaled(base, toMeasured(base, 10)), scaled(head, toMeasured(head, 10.6)));
    expect(top.map((l) => l.function)).toEqual(['leaf']);
    expect(top[0]?.baseMsPerCall).toBeCloseTo(6, 6);
    expect(top[0]?.headMsPerCall).toBeCloseTo((10.6 * 8.58) / 13.78, 6);
  });

  it('leaves the times as they are without a measured time or a profile', () => {
    expect(toMeasured([f('leaf', 2)], null)).toBe(1);
    expect(toMeasured([f('leaf', 2)], 0)).toBe(1);
    expect(toMeasured([], 5)).toBe(1);
    expect(scaled([f('leaf', 2)], 1.5)).toEqual([f('leaf', 3)]);
  });
});
