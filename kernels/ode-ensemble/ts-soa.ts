/** Rung 2: parameter and state columns (structure of arrays), scalar locals, no allocation per call. */
import type { OdeFixture, OdeResult } from './fixture.js';
import { integrateSystem } from './rk4.js';

/** Integrates systems [from, to) of the columns into `v` and `w`. */
export function integrateRange(
  f: Omit<OdeFixture, 'systems'>,
  v: Float64Array,
  w: Float64Array,
  from: number,
  to: number,
): void {
  for (let i = from; i < to; i++) {
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
}

/** Times the sweep into output columns allocated once. */
export function prepareSoa(f: OdeFixture): { run: () => OdeResult } {
  const out = { v: new Float64Array(f.systems), w: new Float64Array(f.systems) };
  return { run: () => (integrateRange(f, out.v, out.w, 0, f.systems), out) };
}
