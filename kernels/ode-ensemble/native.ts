/**
 * Rungs 4–5, in C++ (native/src/simd/ode*.cc): SIMD across systems (8 per AVX-512 vector, 4 per
 * AVX2 vector, 4 vectors in flight to hide FMA latency), the same 66-flop step as rk4.ts with
 * multiply–add pairs fused. `native-simd` is one thread; `native-parallel` uses `threads`.
 */
import { loadNative } from '../../src/addon/index.js';
import type { OdeFixture, OdeResult } from './fixture.js';

/** Prepares the native sweep into output columns allocated once. */
export function prepareNativeOde(f: OdeFixture, threads: number): { run: () => OdeResult } {
  const addon = loadNative();
  const out = { v: new Float64Array(f.systems), w: new Float64Array(f.systems) };
  const columns = { a: f.a, b: f.b, eps: f.eps, current: f.current, v0: f.v0, w0: f.w0 };
  return { run: () => (addon.odeRun(columns, f.steps, f.dt, out.v, out.w, threads), out) };
}
