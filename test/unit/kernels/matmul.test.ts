import { describe, expect, it } from 'vitest';
import { matmul } from '../../../kernels/matmul/index.js';
import { generateMatmul } from '../../../kernels/matmul/fixture.js';
import { checkProduct } from '../../../kernels/matmul/oracle.js';
import { fromRows } from '../../../kernels/matmul/ts-naive.js';
import { checksumOf } from '../../../src/measure/checksum.js';
import { kernelCases } from '../../../src/measure/kernel.js';

describe('matmul fixtures', () => {
  it('are deterministic: the same seed gives the same checksum', () => {
    const a = generateMatmul(64, 7);
    const b = generateMatmul(64, 7);
    expect(checksumOf(a.a, a.b)).toBe(checksumOf(b.a, b.b));
    expect(checksumOf(generateMatmul(64, 8).a)).not.toBe(checksumOf(a.a));
  });

  it('match their recorded checksums (quick profile)', () => {
    for (const spec of matmul.fixtures.quick) expect(matmul.checksum(matmul.generate(spec))).toBe(spec.checksum);
  });

  it('refuse to run when the generated data no longer matches the recorded checksum', async () => {
    const tampered = {
      ...matmul,
      fixtures: { quick: [{ ...matmul.fixtures.quick[0]!, checksum: 'deadbeefdeadbeef' }], full: [] },
    };
    const [first] = kernelCases(tampered, 'quick');
    await expect(async () => first!.setup()).rejects.toThrow(/generated checksum .* recorded deadbeefdeadbeef/);
  });
});

describe('matmul TypeScript implementations', () => {
  for (const n of [1, 7, 33, 100]) {
    it(`pass the oracle at n=${n}`, () => {
      const spec = { name: `n${n}`, seed: n, params: { n }, checksum: '' };
      const f = matmul.generate(spec);
      for (const impl of matmul.implementations.filter((i) => i.name.startsWith('ts-'))) {
        const out = impl.prepare(f, spec).run() as Float64Array | number[][];
        const c = out instanceof Float64Array ? out : fromRows(out);
        expect(checkProduct(f, c), impl.name).toBeNull();
      }
    });
  }

  it('the oracle catches a wrong product', () => {
    const f = generateMatmul(16, 3);
    const c = new Float64Array(16 * 16);
    expect(checkProduct(f, c)).toMatch(/off by/);
  });
});
