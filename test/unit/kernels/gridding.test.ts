import { describe, expect, it } from 'vitest';
import { gridding } from '../../../kernels/gridding/index.js';
import { allocateGrid, generateGridding, surveyGrid, type GriddingFixture } from '../../../kernels/gridding/fixture.js';
import { checkGrid, referenceGrid } from '../../../kernels/gridding/oracle.js';
import {
  CHUNK_POINTS,
  generatePoints,
  pointsChecksum,
  SHARED_POINTS_LIMIT,
  sharedPoints,
} from '../../../kernels/shared/points.js';
import type { GridResult } from '../../../kernels/gridding/fixture.js';
import type { PreparedCase } from '../../../src/measure/suite-types.js';
import { rungSkip } from '../../helpers.js';

describe('gridding fixtures', () => {
  it('are deterministic and chunked', () => {
    const a = generatePoints(CHUNK_POINTS + 1000, 5);
    expect(a.chunks.map((c) => c.x.length)).toEqual([CHUNK_POINTS, 1000]);
    expect(pointsChecksum(a)).toBe(pointsChecksum(generatePoints(CHUNK_POINTS + 1000, 5)));
    expect(pointsChecksum(generatePoints(1000, 6))).not.toBe(pointsChecksum(generatePoints(1000, 5)));
  });

  it('match their recorded checksums (quick profile)', () => {
    for (const spec of gridding.fixtures.quick)
      expect(gridding.checksum(gridding.generate(spec)), spec.name).toBe(spec.checksum);
  });

  it('put some points outside the grid, so bounds are exercised', () => {
    const f = generateGridding({ points: 20_000, cells: 64 }, 3);
    const ref = referenceGrid(f);
    const inside = ref.count.reduce((s, c) => s + c, 0);
    expect(inside).toBeLessThan(20_000);
    expect(inside).toBeGreaterThan(19_000);
  });
});

describe('gridding implementations', () => {
  const sizes: [number, number][] = [
    [1, 4],
    [999, 16],
    [50_000, 64],
    [CHUNK_POINTS + 4321, 128],
  ];
  for (const [points, cells] of sizes) {
    const spec = { name: 't', seed: points, params: { points, cells }, checksum: '' };
    let fixture: GriddingFixture | undefined;
    for (const impl of gridding.implementations) {
      const { skip, needs } = rungSkip(impl);
      it.skipIf(skip)(`${impl.name} passes the oracle on ${points} points, ${cells}² cells${needs}`, () => {
        expect(impl.unavailable?.() ?? null, `${impl.name} unavailable`).toBeNull();
        const f = (fixture ??= gridding.generate(spec));
        const prepared = impl.prepare(f, spec) as PreparedCase & { result?: () => GridResult };
        try {
          // A GPU rung leaves its output on the device; `result` copies it back.
          const out = (prepared.result ? (prepared.run(), prepared.result()) : prepared.run()) as GridResult;
          expect(checkGrid(f, out), impl.name).toBeNull();
        } finally {
          prepared.teardown?.();
        }
      });
    }
  }

  it('the oracle catches a wrong count, extreme and mean', () => {
    const f: GriddingFixture = { cloud: generatePoints(5000, 1), grid: surveyGrid(8) };
    const good = referenceGrid(f);
    for (const field of ['count', 'min', 'max', 'mean'] as const) {
      const bad = { ...good, [field]: good[field].slice() } as GridResult;
      bad[field][3] = (bad[field][3] as number) + 1;
      expect(checkGrid(f, bad), field).toMatch(new RegExp(field));
    }
    expect(checkGrid(f, allocateGrid(f.grid))).not.toBeNull();
  });
});

describe('sharedPoints', () => {
  it('keeps clouds for later callers whichever order they come in, up to a bound beyond the latest', () => {
    const small = sharedPoints(1000, 1);
    const large = sharedPoints(3_000_000, 2);
    expect(sharedPoints(1000, 1)).toBe(small);
    expect(sharedPoints(3_000_000, 2)).toBe(large);
    // Older clouds beyond SHARED_POINTS_LIMIT points are let go, the oldest first.
    sharedPoints(2_000_000, 3);
    expect(sharedPoints(1000, 1)).toBe(small);
    expect(sharedPoints(3_000_000, 2)).not.toBe(large);
    expect(SHARED_POINTS_LIMIT).toBe(4_000_000);
  });
});
