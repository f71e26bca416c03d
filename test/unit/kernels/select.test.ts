import { describe, expect, it } from 'vitest';
import { select } from '../../../kernels/select/index.js';
import { checkSelection, referenceSelect } from '../../../kernels/select/oracle.js';
import { asSelection } from '../../../kernels/select/ts-push.js';
import { CHUNK_POINTS } from '../../../kernels/shared/points.js';
import type { Selection } from '../../../kernels/select/fixture.js';
import type { PreparedCase } from '../../../src/measure/suite-types.js';
import { rungSkip } from '../../helpers.js';

const asSel = (out: unknown): Selection => (Array.isArray(out) ? asSelection(out as number[]) : (out as Selection));

describe('select fixtures', () => {
  it('match their recorded checksums and selected counts (quick profile)', () => {
    for (const spec of select.fixtures.quick) {
      const f = select.generate(spec);
      expect(select.checksum(f), spec.name).toBe(spec.checksum);
      expect(referenceSelect(f).length, spec.name).toBe(spec.params.selected);
    }
  });
});

describe('select implementations', () => {
  for (const points of [1, 17, 10_000, CHUNK_POINTS + 999]) {
    const spec = { name: 't', seed: points + 1, params: { points, selected: 0 }, checksum: '' };
    let fixture: ReturnType<typeof select.generate> | undefined;
    for (const impl of select.implementations) {
      const { skip, needs } = rungSkip(impl);
      it.skipIf(skip)(`${impl.name} returns exactly the oracle's indices on ${points} points${needs}`, () => {
        expect(impl.unavailable?.() ?? null, `${impl.name} unavailable`).toBeNull();
        const f = (fixture ??= select.generate(spec));
        const prepared = impl.prepare(f, spec) as PreparedCase & { result?: () => Selection };
        try {
          // A GPU rung leaves its output on the device; `result` copies it back.
          expect(checkSelection(f, asSel(prepared.result ? prepared.result() : prepared.run())), impl.name).toBeNull();
        } finally {
          prepared.teardown?.();
        }
      });
    }
  }

  it('the oracle catches a missing and a wrong index', () => {
    const f = select.generate({ name: 't', seed: 9, params: { points: 20_000, selected: 0 }, checksum: '' });
    const ref = referenceSelect(f);
    expect(ref.length).toBeGreaterThan(100);
    expect(checkSelection(f, asSelection(ref.slice(1)))).toMatch(/selected/);
    const wrong = ref.slice();
    wrong[5] = (wrong[5] as number) + 1;
    expect(checkSelection(f, asSelection(wrong))).toMatch(/entry 5/);
  });
});

describe('select full fixtures', () => {
  it('the 4M-point cloud matches its recorded checksum and selected count (40M is checked by setup at run time)', () => {
    const spec = select.fixtures.full.find((s) => s.name === 'p4m')!;
    const f = select.generate(spec);
    expect(select.checksum(f)).toBe(spec.checksum);
    expect(referenceSelect(f).length).toBe(spec.params.selected);
  });
});
