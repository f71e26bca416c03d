// Every matmul implementation must pass the oracle on awkward sizes (1, primes, sizes that are
// not multiples of any block or micro-kernel edge). An implementation that cannot run here must
// say why, and only for the reasons this machine can have (no GPU; OpenBLAS not installed).
import { describe, expect, it } from 'vitest';
import { matmul } from '../../../kernels/matmul/index.js';
import { generateMatmul } from '../../../kernels/matmul/fixture.js';
import { checkProduct } from '../../../kernels/matmul/oracle.js';
import { fromRows } from '../../../kernels/matmul/ts-naive.js';
import { prepareCuda } from '../../../kernels/matmul/cuda.js';
import { prepareNative } from '../../../kernels/matmul/native.js';
import { loadNative } from '../../../src/addon/index.js';

const sizes = [1, 7, 33, 100, 130];

/** Expected skip reasons, with what the rung needs: anything else (e.g. the native addon missing after npm ci) fails. */
const allowedSkips: Record<string, { reason: RegExp; needs: string }> = {
  openblas: { reason: /^libopenblas not found/, needs: 'needs libopenblas' },
  cuda: { reason: /^no CUDA device: |benchgate_cuda\.node.*nvcc/, needs: 'needs a CUDA device' },
};

function asFlat(result: unknown): Float64Array {
  if (result instanceof Float64Array) return result;
  if (Array.isArray(result)) return fromRows(result as number[][]);
  throw new Error(`unexpected result type ${typeof result}`);
}

describe('matmul implementations against the oracle', () => {
  it('lists every rung plus the openblas reference', () => {
    expect(matmul.implementations.map((i) => i.name)).toEqual([
      'ts-naive',
      'ts-typed',
      'ts-blocked',
      'native-scalar',
      'native-simd',
      'native-parallel',
      'openblas',
      'cuda',
    ]);
  });

  it('an implementation that cannot run here says why, with a reason this machine can have', () => {
    for (const impl of matmul.implementations) {
      const reason = impl.unavailable?.() ?? null;
      if (reason !== null)
        expect(reason, `${impl.name} unavailable`).toMatch(allowedSkips[impl.name]?.reason ?? /^never$/);
    }
  });

  for (const impl of matmul.implementations) {
    const reason = impl.unavailable?.() ?? null;
    const allowed = allowedSkips[impl.name];
    // Skipped only for a missing library or device; any other reason runs the test, which fails on it.
    const skip = reason !== null && allowed !== undefined && allowed.reason.test(reason);
    it.skipIf(skip)(
      `${impl.name} is correct for n = ${sizes.join(', ')}${allowed ? ` (${allowed.needs})` : ''}`,
      () => {
        expect(reason, `${impl.name} unavailable`).toBeNull();
        for (const n of sizes) {
          const spec = { name: `n${n}`, seed: 100 + n, params: { n }, checksum: '' };
          const f = generateMatmul(n, spec.seed);
          if (impl.name === 'cuda') {
            const p = prepareCuda(f);
            try {
              p.run();
              expect(checkProduct(f, p.result()), `${impl.name} n=${n}`).toBeNull();
            } finally {
              p.teardown();
            }
            continue;
          }
          const prepared = impl.prepare(f, spec);
          // Twice: the second call reuses the output allocated in prepare and must overwrite it.
          prepared.run();
          expect(checkProduct(f, asFlat(prepared.run())), `${impl.name} n=${n}`).toBeNull();
          prepared.teardown?.();
        }
      },
    );
  }

  it('native-parallel is correct for any thread count, including more threads than column panels', () => {
    for (const threads of [1, 2, 3, 8]) {
      for (const n of [7, 100, 130]) {
        const f = generateMatmul(n, n * threads);
        expect(checkProduct(f, prepareNative(f, 'parallel', threads).run()), `threads=${threads} n=${n}`).toBeNull();
      }
    }
  });

  it('native kernels are right across block edges (n spanning several kc and nb blocks)', () => {
    const addon = loadNative();
    const n = 531; // > kc = 256 twice over, > nb = 240, and not a multiple of 8, 24, 6 or 4
    const f = generateMatmul(n, 3);
    expect(checkProduct(f, addon.matmulSimd(f.a, f.b, new Float64Array(n * n), n))).toBeNull();
    expect(checkProduct(f, addon.matmulParallel(f.a, f.b, new Float64Array(n * n), n, 2))).toBeNull();
    expect(checkProduct(f, addon.matmulScalar(f.a, f.b, new Float64Array(n * n), n))).toBeNull();
  });
});
