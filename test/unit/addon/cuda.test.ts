// The CUDA addon must build wherever nvcc exists and load without a GPU; with no device, the
// benchmark's skip reason says so. Where a device exists, the product must be right.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cudaDeviceName, cudaUnavailableReason, loadCuda } from '../../../src/addon/index.js';
import { generateMatmul } from '../../../kernels/matmul/fixture.js';
import { checkProduct } from '../../../kernels/matmul/oracle.js';
import { prepareCuda } from '../../../kernels/matmul/cuda.js';

const hasNvcc = spawnSync('nvcc', ['--version']).status === 0;

describe('CUDA addon', () => {
  it('is built and loads (even without a GPU) where nvcc exists; says it is not built where nvcc is absent', () => {
    if (!hasNvcc) {
      expect(cudaUnavailableReason()).toMatch(/benchgate_cuda\.node.*nvcc/);
      return;
    }
    const { count, error } = loadCuda().deviceCount();
    expect(count).toBeGreaterThanOrEqual(0);
    if (count === 0) expect(error.length).toBeGreaterThan(0);
  });

  it('gives the no-device reason, or runs a correct product on the device', () => {
    const reason = cudaUnavailableReason();
    if (reason !== null) {
      // No GPU here: the case cannot run, so the reason is what is checked.
      expect(reason).toMatch(hasNvcc ? /^no CUDA device: .+/ : /benchgate_cuda\.node/);
      expect(cudaDeviceName()).toBeNull();
      return;
    }
    expect(cudaDeviceName()).toMatch(/\S/);
    for (const n of [1, 7, 33, 100, 130]) {
      const f = generateMatmul(n, 40 + n);
      const prepared = prepareCuda(f);
      try {
        prepared.run();
        expect(checkProduct(f, prepared.result()), `n=${n}`).toBeNull();
      } finally {
        prepared.teardown();
      }
    }
  });
});
