import { describe, expect, it } from 'vitest';
import { simdFromFlags } from '../../../src/measure/probe.js';
import { detectTestbed, testbedFrom } from '../../../src/measure/testbed.js';

const base = { cpuModel: 'AMD EPYC', cores: 2, simd: 'avx512', os: 'linux-x64', node: 'v20', gpu: null };

describe('testbed fingerprint', () => {
  it('is stable for the same machine', () => {
    expect(testbedFrom(base).key).toBe(testbedFrom({ ...base }).key);
    expect(detectTestbed({ simd: 'avx2', gpu: null }).key).toBe(detectTestbed({ simd: 'avx2', gpu: null }).key);
  });

  it.each([
    ['cpuModel', 'Intel Xeon'],
    ['cores', 4],
    ['simd', 'avx2'],
    ['os', 'darwin-arm64'],
    ['node', 'v24'],
    ['gpu', 'NVIDIA H100'],
  ])('changes when %s changes', (field, value) => {
    expect(testbedFrom({ ...base, [field]: value }).key).not.toBe(testbedFrom(base).key);
  });

  it('describes this machine', () => {
    const t = detectTestbed({ simd: 'avx2', gpu: null });
    expect(t.cores).toBeGreaterThan(0);
    expect(t.node).toBe(process.version.split('.')[0]);
    expect(t.os).toBe(`${process.platform}-${process.arch}`);
    expect(t.key).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('simdFromFlags', () => {
  it('picks the widest level', () => {
    expect(simdFromFlags(new Set(['sse2', 'avx2', 'fma', 'avx512f', 'avx512dq', 'avx512vl']))).toBe('avx512');
    expect(simdFromFlags(new Set(['sse2', 'avx2', 'fma', 'avx512f']))).toBe('avx2');
    expect(simdFromFlags(new Set(['sse2', 'avx2']))).toBe('sse2');
    expect(simdFromFlags(new Set())).toBe('scalar');
  });
});

describe('runtimeProbe', () => {
  it('reports the SIMD level the native kernels use, after a BENCHGATE_SIMD cap', async () => {
    const { execFileSync } = await import('node:child_process');
    const probe = (simd?: string) =>
      JSON.parse(
        execFileSync(
          process.execPath,
          [
            '--input-type=module',
            '-e',
            "import('./dist/src/measure/probe.js').then(async (m) => console.log(JSON.stringify(await m.runtimeProbe())))",
          ],
          {
            env: { ...process.env, BENCHGATE_SIMD: simd ?? '' },
            encoding: 'utf8',
          },
        ),
      ) as { simd: string; gpu: string | null };
    const detected = probe().simd;
    expect(['avx512', 'avx2', 'scalar', 'sse2', 'neon']).toContain(detected);
    expect(probe('scalar').simd).toBe('scalar');
    if (detected === 'avx512') expect(probe('avx2').simd).toBe('avx2');
  });
});
