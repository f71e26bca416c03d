/**
 * The FitzHugh–Nagumo right-hand side and the RK4 step, written once with the exact operation
 * order every implementation follows (so results agree up to FMA rounding). The flop count per
 * system per step is derived from these lines:
 *   right-hand side: fv = v − v·v·v·(1/3) − w + I   → 3 mul, 2 sub, 1 add = 6
 *                    fw = ε·((v + a) − b·w)         → 2 mul, 1 add, 1 sub = 4     (10 per evaluation)
 *   4 evaluations                                                                   = 40
 *   stage states y + h·k for stages 2, 3, 4: 1 mul + 1 add per component, 2 components × 3 = 12
 *   combination y + (dt/6)·(k1 + 2·k2 + 2·k3 + k4): 3 mul + 4 add per component, × 2     = 14
 *   total                                                                              = 66
 * (native code fuses pairs into FMAs, each counted as two flops, so the count is the same).
 */

/** Floating-point operations per system per RK4 step. */
export const FLOPS_PER_STEP = 66;

/** 1/3, multiplied rather than divided so that every implementation does the same operation. */
export const THIRD = 1 / 3;

/** Integrates one system in place over the columns' entry i (shared by ts-soa and the workers). */
export function integrateSystem(
  v0: number,
  w0: number,
  a: number,
  b: number,
  eps: number,
  current: number,
  dt: number,
  steps: number,
): [number, number] {
  const h2 = dt * 0.5;
  const h6 = dt / 6;
  let v = v0;
  let w = w0;
  for (let s = 0; s < steps; s++) {
    const k1v = v - v * v * v * THIRD - w + current;
    const k1w = eps * (v + a - b * w);
    let sv = v + h2 * k1v;
    let sw = w + h2 * k1w;
    const k2v = sv - sv * sv * sv * THIRD - sw + current;
    const k2w = eps * (sv + a - b * sw);
    sv = v + h2 * k2v;
    sw = w + h2 * k2w;
    const k3v = sv - sv * sv * sv * THIRD - sw + current;
    const k3w = eps * (sv + a - b * sw);
    sv = v + dt * k3v;
    sw = w + dt * k3w;
    const k4v = sv - sv * sv * sv * THIRD - sw + current;
    const k4w = eps * (sv + a - b * sw);
    v = v + h6 * (k1v + 2 * k2v + 2 * k3v + k4v);
    w = w + h6 * (k1w + 2 * k2w + 2 * k3w + k4w);
  }
  return [v, w];
}
