// The OpenBLAS reference must run with the best kernel for this CPU: the core type is picked from
// CPU features and set before the library loads, while a user's own OPENBLAS_CORETYPE wins.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadNative, type CpuFeatures } from '../../../src/addon/index.js';
import { chooseCoretype, coretypeFor, loadOpenblas, openblasUnavailableReason } from '../../../src/addon/openblas.js';

const addonPath = join(
  fileURLToPath(new URL('../../../', import.meta.url)),
  'native',
  'build',
  'Release',
  'benchgate_native.node',
);
const none: CpuFeatures = {
  avx2: false,
  fma: false,
  avx512f: false,
  avx512dq: false,
  avx512vl: false,
  avx512bw: false,
  widest: 'scalar',
};
const avx2: CpuFeatures = { ...none, avx2: true, fma: true, widest: 'avx2' };
const avx512: CpuFeatures = {
  ...avx2,
  avx512f: true,
  avx512dq: true,
  avx512vl: true,
  avx512bw: true,
  widest: 'avx512',
};

describe('core type choice', () => {
  it('picks the widest kernel family the features allow', () => {
    expect(coretypeFor(avx512)).toBe('SkylakeX');
    expect(coretypeFor(avx2)).toBe('Haswell');
    expect(coretypeFor({ ...avx2, fma: false })).toBeNull();
  });

  it('chooses from the CPU, replacing an inherited OPENBLAS_CORETYPE; only BENCHGATE_OPENBLAS_CORETYPE overrides', () => {
    expect(chooseCoretype(avx512, undefined)).toEqual({ coretype: 'SkylakeX', source: 'cpu-features', warning: null });
    expect(chooseCoretype(avx512, '')).toEqual({ coretype: 'SkylakeX', source: 'cpu-features', warning: null });
    expect(chooseCoretype(none, undefined)).toEqual({ coretype: '', source: 'library-detection', warning: null });
    const inherited = chooseCoretype(avx512, undefined, 'Haswell');
    expect(inherited).toMatchObject({ coretype: 'SkylakeX', source: 'cpu-features' });
    expect(inherited.warning).toMatch(/OPENBLAS_CORETYPE=Haswell from the environment was replaced by SkylakeX/);
    expect(chooseCoretype(avx512, undefined, 'skylakex').warning).toBeNull();
    const explicit = chooseCoretype(avx512, 'Haswell', 'Zen');
    expect(explicit).toMatchObject({ coretype: 'Haswell', source: 'explicit' });
    expect(explicit.warning).toMatch(/BENCHGATE_OPENBLAS_CORETYPE=Haswell.*SkylakeX/);
    expect(chooseCoretype(avx512, 'skylakex').warning).toBeNull();
  });
});

const openblasReason = openblasUnavailableReason();

// Without libopenblas the benchmark is skipped with this reason; what the reason says is checked.
it.runIf(openblasReason !== null)('says why OpenBLAS cannot load where libopenblas is not installed', () => {
  expect(openblasReason).toMatch(/libopenblas not found.*libopenblas\.so\.0.*apt-get install libopenblas-dev/);
});

describe.skipIf(openblasReason !== null)('loading OpenBLAS (needs libopenblas installed)', () => {
  it('loads, and multiplies like the native SIMD kernel', () => {
    const info = loadOpenblas();
    expect(info.corename.length).toBeGreaterThan(0);
    expect(info.threads).toBe(loadNative().defaultThreads());
    const n = 33;
    const a = Float64Array.from({ length: n * n }, (_, i) => ((i * 37) % 11) - 5);
    const b = Float64Array.from({ length: n * n }, (_, i) => ((i * 17) % 7) - 3);
    const want = loadNative().matmulSimd(a, b, new Float64Array(n * n), n);
    // Small integers: every order of summation gives the exact same result.
    expect(info.addon.matmulOpenblas(a, b, new Float64Array(n * n), n)).toEqual(want);
  });

  it('sets the chosen core type before the library initialises (fresh process, no user value)', () => {
    const chosen = coretypeFor(loadNative().cpuFeatures());
    const env = { ...process.env };
    delete env.OPENBLAS_CORETYPE;
    const r = spawnSync(
      process.execPath,
      [
        '-e',
        `const s = require(${JSON.stringify(addonPath)}).openblasLoad(${JSON.stringify(chosen)}, 2); console.log(s.corename)`,
      ],
      { env, encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    // OpenBLAS names core types in its own capitalisation (e.g. SkylakeX); without a choice it detects.
    if (chosen !== null) expect(r.stdout.trim().toLowerCase()).toBe(chosen.toLowerCase());
    else expect(r.stdout.trim().length).toBeGreaterThan(0);
  });

  // A CPU without AVX2+FMA has no feature choice to replace the inherited value with.
  const cpuChoice = openblasReason === null ? coretypeFor(loadNative().cpuFeatures()) : null;
  it.skipIf(cpuChoice === null)(
    'replaces an inherited OPENBLAS_CORETYPE with the CPU-feature choice (fresh process; needs AVX2+FMA)',
    () => {
      const r = spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          "const m = await import('./dist/src/addon/openblas.js'); console.log(m.loadOpenblas(2).corename)",
        ],
        { env: { ...process.env, OPENBLAS_CORETYPE: 'Prescott', BENCHGATE_OPENBLAS_CORETYPE: '' }, encoding: 'utf8' },
      );
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.trim().toLowerCase()).toBe(cpuChoice?.toLowerCase());
    },
  );
});
