// The loader's contract: it finds the built addons, and when it cannot, it says what it tried
// and how to fix it instead of throwing a bare MODULE_NOT_FOUND.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AddonUnavailableError,
  cudaUnavailableReason,
  loadCuda,
  loadNative,
  nativeUnavailableReason,
  simdLevel,
} from '../../../src/addon/index.js';

const empty = mkdtempSync(join(tmpdir(), 'benchgate-noaddon-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

describe('native addon loader', () => {
  it('loads the built addon and reports an active level no wider than the CPU allows', () => {
    const addon = loadNative();
    const order = ['scalar', 'avx2', 'avx512'];
    expect(order).toContain(addon.simdLevel());
    expect(order.indexOf(addon.simdLevel())).toBeLessThanOrEqual(order.indexOf(addon.cpuFeatures().widest));
    expect(nativeUnavailableReason()).toBeNull();
    expect(simdLevel()).toEqual({ level: addon.simdLevel(), reason: null });
  });

  it('names the path it tried and the fix when the .node is missing', () => {
    let error: unknown;
    try {
      loadNative({ dir: empty });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AddonUnavailableError);
    const reason = (error as AddonUnavailableError).reason;
    expect(reason).toContain(join(empty, 'benchgate_native.node'));
    expect(reason).toContain('not found');
    expect(reason).toContain('npm run build:native');
    expect(nativeUnavailableReason({ dir: empty })).toBe(reason);
    expect(simdLevel({ dir: empty })).toEqual({ level: 'scalar', reason });
  });

  it('honours BENCHGATE_NATIVE_DIR', () => {
    const saved = process.env.BENCHGATE_NATIVE_DIR;
    process.env.BENCHGATE_NATIVE_DIR = empty;
    try {
      expect(nativeUnavailableReason()).toContain(join(empty, 'benchgate_native.node'));
    } finally {
      if (saved === undefined) delete process.env.BENCHGATE_NATIVE_DIR;
      else process.env.BENCHGATE_NATIVE_DIR = saved;
    }
    expect(nativeUnavailableReason()).toBeNull();
  });

  it('reports a file that exists but is not an addon, with the loader error', () => {
    // A .node that fails to dlopen is the other way a build goes wrong (wrong platform, truncated).
    const dir = mkdtempSync(join(tmpdir(), 'benchgate-badaddon-'));
    try {
      const bad = join(dir, 'benchgate_native.node');
      writeFileSync(bad, 'not an ELF file');
      const reason = nativeUnavailableReason({ dir });
      expect(reason).toContain(bad);
      expect(reason).not.toContain('not found');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('CUDA addon loader', () => {
  it('says the CUDA addon is missing, and how it gets built, when the .node is absent', () => {
    const reason = cudaUnavailableReason({ dir: empty });
    expect(reason).toContain(join(empty, 'benchgate_cuda.node'));
    expect(reason).toContain('nvcc');
    expect(() => loadCuda({ dir: empty })).toThrow(AddonUnavailableError);
  });
});
