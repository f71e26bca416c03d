/**
 * The ode-ensemble oracle: each system integrated on its own with the reference RK4 step. Other
 * implementations fuse multiplies and adds (FMA) or reorder nothing else; FitzHugh–Nagumo is not
 * chaotic, so rounding differences stay near the rounding level: the tolerance is 1e-9 absolute
 * on v and w after all steps (values are O(1)).
 */
import type { OdeFixture, OdeResult } from './fixture.js';
import { integrateSystem } from './rk4.js';

/** Largest absolute difference allowed per state component. */
export const ODE_TOLERANCE = 1e-9;

/** Reference final states. */
export function referenceOde(f: OdeFixture): OdeResult {
  const v = new Float64Array(f.systems);
  const w = new Float64Array(f.systems);
  for (let i = 0; i < f.systems; i++) {
    const [vi, wi] = integrateSystem(
      f.v0[i] as number,
      f.w0[i] as number,
      f.a[i] as number,
      f.b[i] as number,
      f.eps[i] as number,
      f.current[i] as number,
      f.dt,
      f.steps,
    );
    v[i] = vi;
    w[i] = wi;
  }
  return { v, w };
}

/** Returns null when `got` matches the reference within tolerance, else the worst miss. */
export function checkOde(f: OdeFixture, got: OdeResult): string | null {
  const ref = referenceOde(f);
  for (let i = 0; i < f.systems; i++) {
    const dv = Math.abs((got.v[i] as number) - (ref.v[i] as number));
    const dw = Math.abs((got.w[i] as number) - (ref.w[i] as number));
    if (!(dv <= ODE_TOLERANCE && dw <= ODE_TOLERANCE)) {
      return `system ${i}: (v, w) = (${got.v[i]}, ${got.w[i]}), expected (${ref.v[i]}, ${ref.w[i]}) (tolerance ${ODE_TOLERANCE})`;
    }
  }
  return null;
}
