/**
 * ode-ensemble fixtures: a parameter sweep of independent FitzHugh–Nagumo neurons
 *   dv/dt = v − v³/3 − w + I,   dw/dt = ε·(v + a − b·w)
 * each with its own (a, b, ε, I) and initial state (v0, w0), integrated with fixed-step RK4 (step
 * dt, `steps` steps). Parameters are stored as columns (structure of arrays).
 */
import { seededRandom } from '../../src/random.js';

/** The sweep: one entry per system in each column. */
export interface OdeFixture {
  systems: number;
  steps: number;
  dt: number;
  a: Float64Array;
  b: Float64Array;
  eps: Float64Array;
  current: Float64Array;
  v0: Float64Array;
  w0: Float64Array;
}

/** Generator parameters. */
export interface OdeParams {
  systems: number;
  steps: number;
}

/** The step size every fixture uses. */
export const ODE_DT = 0.05;

/** Generates the sweep from its seed: parameters around the classic values, states spread out. */
export function generateOde({ systems, steps }: OdeParams, seed: number): OdeFixture {
  const random = seededRandom(seed);
  const col = (lo: number, hi: number) => {
    const c = new Float64Array(systems);
    for (let i = 0; i < systems; i++) c[i] = lo + (hi - lo) * random();
    return c;
  };
  return {
    systems,
    steps,
    dt: ODE_DT,
    a: col(0.6, 0.8),
    b: col(0.7, 0.9),
    eps: col(0.05, 0.1),
    current: col(0.3, 0.6),
    v0: col(-2, 2),
    w0: col(-1, 1.5),
  };
}

/** Final states, one entry per system. */
export interface OdeResult {
  v: Float64Array;
  w: Float64Array;
}
