/**
 * Rung 1: an object per system and a generic RK4 over state arrays, allocating a fresh array for
 * every derivative and stage, as a direct port of a textbook solver does.
 */
import type { OdeFixture, OdeResult } from './fixture.js';
import { THIRD } from './rk4.js';

interface FhnSystem {
  a: number;
  b: number;
  eps: number;
  current: number;
  state: number[];
}

type Rhs = (y: number[]) => number[];

function rk4Step(f: Rhs, y: number[], dt: number): number[] {
  const h2 = dt * 0.5;
  const h6 = dt / 6;
  const k1 = f(y);
  const k2 = f(y.map((yi, i) => yi + h2 * (k1[i] as number)));
  const k3 = f(y.map((yi, i) => yi + h2 * (k2[i] as number)));
  const k4 = f(y.map((yi, i) => yi + dt * (k3[i] as number)));
  return y.map(
    (yi, i) => yi + h6 * ((k1[i] as number) + 2 * (k2[i] as number) + 2 * (k3[i] as number) + (k4[i] as number)),
  );
}

/** Builds the system objects from the fixture's columns. */
export function toSystems(f: OdeFixture): FhnSystem[] {
  return Array.from({ length: f.systems }, (_, i) => ({
    a: f.a[i] as number,
    b: f.b[i] as number,
    eps: f.eps[i] as number,
    current: f.current[i] as number,
    state: [f.v0[i] as number, f.w0[i] as number],
  }));
}

/** Integrates every system object; returns the final states. */
export function integrateNaive(systems: FhnSystem[], dt: number, steps: number): OdeResult {
  const v = new Float64Array(systems.length);
  const w = new Float64Array(systems.length);
  systems.forEach((s, i) => {
    const rhs: Rhs = ([vv = 0, ww = 0]) => [vv - vv * vv * vv * THIRD - ww + s.current, s.eps * (vv + s.a - s.b * ww)];
    let y = [...s.state];
    for (let k = 0; k < steps; k++) y = rk4Step(rhs, y, dt);
    v[i] = y[0] as number;
    w[i] = y[1] as number;
  });
  return { v, w };
}
