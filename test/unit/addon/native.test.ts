// The native addon's glue: arguments are checked with errors naming the argument, the async
// variants leave the event loop live, and every SIMD level (forced with BENCHGATE_SIMD in a fresh
// process, since the level is fixed when the addon loads) computes the right product.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadNative } from '../../../src/addon/index.js';
import { generateMatmul } from '../../../kernels/matmul/fixture.js';
import { checkProduct } from '../../../kernels/matmul/oracle.js';

const addonPath = join(
  fileURLToPath(new URL('../../../', import.meta.url)),
  'native',
  'build',
  'Release',
  'benchgate_native.node',
);

describe('argument checks', () => {
  const addon = loadNative();
  const n = 4;
  const a = new Float64Array(n * n);
  const b = new Float64Array(n * n);
  const c = new Float64Array(n * n);

  it('names the argument that has the wrong type', () => {
    expect(() => addon.matmulSimd(a, [] as unknown as Float64Array, c, n)).toThrow(TypeError);
    expect(() => addon.matmulSimd(a, [] as unknown as Float64Array, c, n)).toThrow(/'b' must be a Float64Array/);
    expect(() => addon.matmulSimd(new Float32Array(16) as unknown as Float64Array, b, c, n)).toThrow(/'a'/);
    expect(() => addon.matmulSimd(a, b, c, 'x' as unknown as number)).toThrow(/'n' must be a number/);
  });

  it('rejects sizes and thread counts out of range', () => {
    expect(() => addon.matmulSimd(a, b, new Float64Array(3), n)).toThrow(RangeError);
    expect(() => addon.matmulSimd(a, b, new Float64Array(3), n)).toThrow(/'c' must have n\*n = 16 elements but has 3/);
    expect(() => addon.matmulSimd(a, b, c, 2.5)).toThrow(/'n' must be an integer/);
    expect(() => addon.matmulParallel(a, b, c, n, 0)).toThrow(/'threads' must be an integer in \[1, 1024\] but got 0/);
  });

  it('refuses an output that overlaps an input', () => {
    expect(() => addon.matmulSimd(a, b, a, n)).toThrow(/'c' must not share memory/);
    const shared = new Float64Array(2 * n * n);
    expect(() => addon.matmulSimd(shared.subarray(0, 16), b, shared.subarray(8, 24), n)).toThrow(/share memory/);
  });

  it('rejects the async variants synchronously too, before queuing work', () => {
    expect(() => addon.matmulSimdAsync(a, b, c, 3)).toThrow(RangeError);
  });
});

describe('roofline probe passes', () => {
  const addon = loadNative();

  it('do a fixed number of flops per thread, as the FMA chains at the active level count them', () => {
    const perThread = addon.fmaPass(1);
    // 2 flops × chains × lanes × iterations: 16 × 8 × 5 M (AVX-512), 12 × 4 × 10 M (AVX2), 12 × 1 × 10 M (scalar).
    const expected = { avx512: 2 * 16 * 8 * 5e6, avx2: 2 * 12 * 4 * 1e7, scalar: 2 * 12 * 1e7 }[addon.simdLevel()];
    expect(perThread).toBe(expected);
    expect(addon.fmaPass(2)).toBe(2 * perThread);
  });

  it('stream a = b + 3·c over the given arrays and count 24 bytes per element', () => {
    const n = 1 << 12;
    const a = new Float64Array(n);
    const b = new Float64Array(n).fill(1);
    const c = Float64Array.from({ length: n }, (_, i) => i);
    expect(addon.triadPass(2, a, b, c)).toBe(24 * n);
    expect(a[0]).toBe(1);
    expect(a[n - 1]).toBe(1 + 3 * (n - 1));
    // An odd length splits unevenly between threads and still covers every element.
    const odd = [new Float64Array(7), new Float64Array(7).fill(2), new Float64Array(7).fill(1)] as const;
    addon.triadPass(3, ...odd);
    expect([...odd[0]]).toEqual(Array(7).fill(5));
  });

  it('check their arguments, naming the one that is wrong', () => {
    const x = new Float64Array(16);
    const y = new Float64Array(16);
    const z = new Float64Array(16);
    expect(() => addon.fmaPass(0)).toThrow(/'threads' must be an integer in \[1, 1024\]/);
    expect(() => addon.fmaPass(1.5)).toThrow(RangeError);
    expect(() => (addon.fmaPass as unknown as () => number)()).toThrow(/'threads' must be a number/);
    expect(() => addon.triadPass(2000, x, y, z)).toThrow(/'threads'/);
    expect(() => addon.triadPass(1, new Float32Array(16) as unknown as Float64Array, y, z)).toThrow(TypeError);
    expect(() => addon.triadPass(1, x, [] as unknown as Float64Array, z)).toThrow(/'b' must be a Float64Array/);
    expect(() => addon.triadPass(1, x, y, new Float64Array(8))).toThrow(
      /'b' and 'c' must have as many elements as 'a' \(16\)/,
    );
    expect(() => addon.triadPass(1, new Float64Array(0), new Float64Array(0), new Float64Array(0))).toThrow(
      /'a' must not be empty/,
    );
    const shared = new Float64Array(32);
    expect(() => addon.triadPass(1, shared.subarray(0, 16), shared.subarray(8, 24), z)).toThrow(
      /'a' must not share memory with 'b' or 'c'/,
    );
    expect(() => addon.triadPass(1, x, y, x)).toThrow(/share memory/);
  });
});

describe('async variants', () => {
  it('keeps the event loop live while an n=1024 product runs, and computes the same product', async () => {
    const addon = loadNative();
    const f = generateMatmul(1024, 7);
    const expected = addon.matmulSimd(f.a, f.b, new Float64Array(f.n * f.n), f.n);

    // Control: a synchronous call blocks the loop, so a due timer cannot fire during it.
    let syncTicks = 0;
    const syncTimer = setInterval(() => syncTicks++, 1);
    const start = performance.now();
    addon.matmulSimd(f.a, f.b, new Float64Array(f.n * f.n), f.n);
    expect(performance.now() - start).toBeGreaterThan(2); // long enough for the timer to be due
    expect(syncTicks).toBe(0);
    clearInterval(syncTimer);

    let ticks = 0;
    let timerFiredFirst = false;
    let settled = false;
    setTimeout(() => {
      timerFiredFirst = !settled;
    }, 1);
    const timer = setInterval(() => ticks++, 1);
    // The scalar rung takes long enough (hundreds of ms) that a live loop ticks many times.
    const pending = addon.matmulScalarAsync(f.a, f.b, new Float64Array(f.n * f.n), f.n);
    const simd = addon.matmulSimdAsync(f.a, f.b, new Float64Array(f.n * f.n), f.n);
    const [scalarResult, simdResult] = await Promise.all([pending, simd]);
    settled = true;
    clearInterval(timer);
    expect(timerFiredFirst).toBe(true);
    expect(ticks).toBeGreaterThan(2);
    // Same kernel, same summation order: bit-identical (compared in a loop; deep-equal of 1M values is slow).
    let differing = 0;
    for (let i = 0; i < expected.length; i++) if (simdResult[i] !== expected[i]) differing++;
    expect(differing).toBe(0);
    // The O(n³) JS oracle is too slow at n=1024; the SIMD product (oracle-checked elsewhere) stands in.
    let worst = 0;
    for (let i = 0; i < expected.length; i++)
      worst = Math.max(worst, Math.abs((scalarResult[i] as number) - (expected[i] as number)));
    expect(worst).toBeLessThan(4 * f.n * f.n * Number.EPSILON);
  });

  it('settles the parallel variant with its output array', async () => {
    const addon = loadNative();
    const f = generateMatmul(100, 9);
    const c = new Float64Array(f.n * f.n);
    const out = await addon.matmulParallelAsync(f.a, f.b, c, f.n, 3);
    expect(out).toBe(c);
    expect(checkProduct(f, c)).toBeNull();
  });
});

/** Runs a script in a fresh node with BENCHGATE_SIMD set, returning its JSON output or error. */
function inChild(level: string, script: string): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env, BENCHGATE_SIMD: level };
  const r = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const levelScript = `
const m = require(${JSON.stringify(addonPath)});
const sizes = [1, 7, 33, 100, 130];
let worst = 0;
for (const n of sizes) {
  let s = n * 7919;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const a = Float64Array.from({ length: n * n }, rnd), b = Float64Array.from({ length: n * n }, rnd);
  const ref = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) ref[i * n + j] += a[i * n + k] * b[k * n + j];
  for (const c of [m.matmulSimd(a, b, new Float64Array(n * n), n), m.matmulParallel(a, b, new Float64Array(n * n), n, 2)])
    for (let i = 0; i < n * n; i++) worst = Math.max(worst, Math.abs(c[i] - ref[i]) / (n * n));
}
console.log(JSON.stringify({ level: m.simdLevel(), widest: m.cpuFeatures().widest, worst }));
`;

describe('SIMD levels, each forced in a child process', () => {
  const widest = loadNative().cpuFeatures().widest;
  const order = ['scalar', 'avx2', 'avx512'] as const;
  const available = order.slice(0, order.indexOf(widest) + 1);

  it.each(order)('BENCHGATE_SIMD=%s selects that level (capped at the CPU) and computes correctly', (level) => {
    const r = inChild(level, levelScript);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { level: string; widest: string; worst: number };
    // A cap above what the CPU has must never raise the level past it.
    expect(out.level).toBe(available.includes(level) ? level : widest);
    // Per-element error relative to n² (|A||B| ≤ n): within a few ulps of FP64.
    expect(out.worst).toBeLessThan(4 * Number.EPSILON);
  });

  it('an unknown BENCHGATE_SIMD value is a clear error from every entry point', () => {
    const r = inChild(
      'avx9000',
      `const m = require(${JSON.stringify(addonPath)});
       for (const f of [() => m.simdLevel(), () => m.matmulSimd(new Float64Array(1), new Float64Array(1), new Float64Array(1), 1)])
         try { f(); console.log('no error'); } catch (e) { console.log(e.message); }`,
    );
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines)
      expect(line).toBe("BENCHGATE_SIMD must be one of avx512, avx2, scalar (or unset) but got 'avx9000'");
  });
});
