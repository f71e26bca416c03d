import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/random.js';
import { eDivisive, MAX_PERMUTATIONS, type ChangePoint, type EDivisiveOptions } from '../../../src/stats/e-divisive.js';
import { expectClose, loadCases } from './fixture.js';

interface Case {
  name: string;
  series: number[];
  options: EDivisiveOptions;
  expected: Omit<ChangePoint, never>[];
}
const cases = loadCases<Case[]>('e-divisive');

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function series(n: number, shifts: [number, number][], seed: number, sd = 0.02): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    let level = 1;
    for (const [at, factor] of shifts) if (i >= at) level *= factor;
    return level * (1 + sd * gaussian(random));
  });
}

describe('eDivisive', () => {
  // Reference: brute-force O(n²) energy statistic in Python with the same mulberry32 permutations.
  it.each(cases)('matches the brute-force reference: $name', ({ series: xs, options, expected }) => {
    const found = eDivisive(xs, options);
    expect(found.map((c) => c.index)).toEqual(expected.map((c) => c.index));
    found.forEach((c, i) => {
      const e = expected[i] as ChangePoint;
      expectClose(c.pValue, e.pValue, 1e-12);
      expectClose(c.statistic, e.statistic, 1e-9);
      expectClose(c.meanBefore, e.meanBefore, 1e-12);
      expectClose(c.meanAfter, e.meanAfter, 1e-12);
      expectClose(c.changePct, e.changePct, 1e-9);
    });
  });

  it('finds known shifts at the right index (± 2)', () => {
    const shifts: [number, number][] = [
      [150, 1.05],
      [320, 0.95],
      [500, 1.1],
    ];
    const found = eDivisive(series(600, shifts, 42));
    expect(found).toHaveLength(3);
    found.forEach((c, i) => expect(Math.abs(c.index - (shifts[i] as [number, number])[0])).toBeLessThanOrEqual(2));
    expect(found[0]?.changePct).toBeCloseTo(5, 0);
    expect(found[0]?.pValue).toBeLessThan(0.01);
  });

  it('finds no change points in pure noise over several seeds', () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) expect(eDivisive(series(300, [], seed), { seed })).toEqual([]);
  });

  it('has a false-positive rate near alpha on noise', () => {
    let withAny = 0;
    for (let seed = 100; seed < 200; seed++)
      if (eDivisive(series(80, [], seed), { alpha: 0.05, permutations: 99, seed }).length > 0) withAny++;
    // Each segment is tested at 5%; on noise only the first test matters. Binomial(100, 0.05) < 12 with high probability.
    expect(withAny).toBeLessThanOrEqual(12);
  });

  it('finds nothing in a constant series or a too-short one', () => {
    expect(eDivisive(Array.from({ length: 100 }, () => 3))).toEqual([]);
    expect(eDivisive([1, 1, 1, 2, 2, 2])).toEqual([]);
    expect(eDivisive([])).toEqual([]);
  });

  it('looks only at the last `window` points but reports global indices', () => {
    const xs = series(
      1000,
      [
        [200, 1.1],
        [900, 1.05],
      ],
      9,
    );
    const found = eDivisive(xs, { window: 300 });
    expect(found.map((c) => c.index)).toHaveLength(1);
    expect(Math.abs((found[0] as ChangePoint).index - 900)).toBeLessThanOrEqual(2);
  });

  describe('an alpha below 1/(permutations + 1)', () => {
    // A clear step: every permutation's best split falls short of the observed one.
    const step = series(60, [[30, 1.2]], 5);

    it('raises the permutations to the fewest that can reach it, instead of finding nothing', () => {
      const found = eDivisive(step, { alpha: 0.001 }); // the default 199 permutations stop at p = 0.005
      expect(found.map((c) => c.index)).toEqual([30]);
      expect(found[0]?.pValue).toBe(1 / 1001);
      expect(found[0]?.pValue).toBeLessThan(0.001);
      expect(found).toEqual(eDivisive(step, { alpha: 0.001, permutations: 1000 }));
      expect(eDivisive(step, { alpha: 0.02, permutations: 10 })).toEqual(
        eDivisive(step, { alpha: 0.02, permutations: 50 }),
      );
    });

    it('keeps permutations that already reach it as given', () => {
      expect(eDivisive(step, { alpha: 0.001, permutations: 1500 })[0]?.pValue).toBe(1 / 1501);
    });

    it(`raises up to ${MAX_PERMUTATIONS}, enough for alpha 1e-4`, () => {
      expect(eDivisive(step, { alpha: 1e-4 })[0]?.pValue).toBe(1 / 10_001);
    });

    it('refuses an alpha that would need more, naming alpha and permutations, unless they are passed', () => {
      expect(() => eDivisive(step, { alpha: 1e-5 })).toThrow(RangeError);
      expect(() => eDivisive(step, { alpha: 1e-5 })).toThrow(
        /'alpha' 0\.00001 needs 'permutations' ≥ 100000 .* but got 199/,
      );
      expect(() => eDivisive([1, 2, 3], { alpha: 1e-5, permutations: 100_000 })).not.toThrow();
    });

    it('refuses an alpha outside (0, 1)', () => {
      for (const alpha of [0, -0.01, 1, Number.NaN])
        expect(() => eDivisive(step, { alpha })).toThrow(/'alpha' must be in \(0, 1\)/);
    });
  });

  it('handles 2,000 points quickly', () => {
    const xs = series(
      2000,
      [
        [400, 1.05],
        [900, 0.95],
        [1400, 1.1],
        [1800, 1.03],
      ],
      3,
    );
    eDivisive(xs); // warm up the JIT
    const t0 = performance.now();
    const found = eDivisive(xs);
    const ms = performance.now() - t0;
    expect(found).toHaveLength(4);
    // The target is < 100 ms (bench:server measures it); a unit test only guards against a blow-up.
    expect(ms).toBeLessThan(1000);
  });
});
