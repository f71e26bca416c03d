import { describe, expect, it } from 'vitest';
import { odeEnsemble } from '../../../kernels/ode-ensemble/index.js';
import { checkOde, referenceOde } from '../../../kernels/ode-ensemble/oracle.js';
import { FLOPS_PER_STEP } from '../../../kernels/ode-ensemble/rk4.js';
import type { OdeResult } from '../../../kernels/ode-ensemble/fixture.js';
import type { PreparedCase } from '../../../src/measure/suite-types.js';
import { rungSkip } from '../../helpers.js';

describe('ode-ensemble fixtures', () => {
  it('match their recorded checksums (quick profile)', () => {
    for (const spec of odeEnsemble.fixtures.quick)
      expect(odeEnsemble.checksum(odeEnsemble.generate(spec)), spec.name).toBe(spec.checksum);
  });

  it('count 66 flops per system and step', () => {
    expect(FLOPS_PER_STEP).toBe(66);
    expect(odeEnsemble.work({ name: 'x', seed: 1, params: { systems: 10, steps: 3 }, checksum: '' }).flops).toBe(1980);
  });

  it('integrate to bounded states (the oracle is not trivially zero)', () => {
    const f = odeEnsemble.generate({ name: 't', seed: 4, params: { systems: 64, steps: 400 }, checksum: '' });
    const ref = referenceOde(f);
    expect(ref.v.every((x) => Number.isFinite(x) && Math.abs(x) < 3)).toBe(true);
    expect(new Set(ref.v).size).toBeGreaterThan(60);
  });
});

describe('ode-ensemble implementations', () => {
  for (const [systems, steps] of [
    [1, 1],
    [13, 37],
    [300, 200],
  ] as const) {
    const spec = { name: 't', seed: systems, params: { systems, steps }, checksum: '' };
    let fixture: ReturnType<typeof odeEnsemble.generate> | undefined;
    for (const impl of odeEnsemble.implementations) {
      const { skip, needs } = rungSkip(impl);
      it.skipIf(skip)(`${impl.name} passes the oracle on ${systems} systems × ${steps} steps${needs}`, async () => {
        expect(impl.unavailable?.() ?? null, `${impl.name} unavailable`).toBeNull();
        const f = (fixture ??= odeEnsemble.generate(spec));
        const prepared = impl.prepare(f, spec) as PreparedCase & { result?: () => OdeResult };
        try {
          // Twice: a second call must start again from the initial states.
          await prepared.run();
          // A GPU rung leaves its output on the device; `result` copies it back.
          const out = (prepared.result ? (await prepared.run(), prepared.result()) : await prepared.run()) as OdeResult;
          expect(checkOde(f, out), impl.name).toBeNull();
        } finally {
          prepared.teardown?.();
        }
      });
    }
  }

  it('the oracle catches a drift above tolerance', () => {
    const f = odeEnsemble.generate({ name: 't', seed: 2, params: { systems: 8, steps: 10 }, checksum: '' });
    const ref = referenceOde(f);
    ref.w[3] = (ref.w[3] as number) + 1e-8;
    expect(checkOde(f, ref)).toMatch(/system 3/);
  });
});

describe('ode-ensemble full fixtures', () => {
  it('match their recorded checksums (they are small enough to check here)', () => {
    for (const spec of odeEnsemble.fixtures.full)
      expect(odeEnsemble.checksum(odeEnsemble.generate(spec)), spec.name).toBe(spec.checksum);
  });
});
