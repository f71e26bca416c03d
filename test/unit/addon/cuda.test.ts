// The CUDA addon must build wherever nvcc exists and load without a GPU; with no device, the
// benchmark's skip reason says so. Where a device exists, the product must be right.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cudaDeviceName, cudaUnavailableReason, loadCuda } from '../../../src/addon/index.js';
import { generateMatmul } from '../../../kernels/matmul/fixture.js';
import { checkProduct } from '../../../kernels/matmul/oracle.js';
import { prepareCuda } from '../../../kernels/matmul/cuda.js';

const hasNvcc = spawnSync('nvcc', ['--version']).status === 0;
const noDeviceReason = cudaUnavailableReason();

describe('CUDA addon', () => {
  it.skipIf(hasNvcc)('says it is not built where nvcc is absent (only without nvcc)', () => {
    expect(noDeviceReason).toMatch(/benchgate_cuda\.node.*nvcc/);
    expect(cudaDeviceName()).toBeNull();
  });

  it.skipIf(!hasNvcc)('is built and loads, even without a GPU (needs nvcc)', () => {
    const { count, error } = loadCuda().deviceCount();
    expect(count).toBeGreaterThanOrEqual(0);
    if (count === 0) expect(error.length).toBeGreaterThan(0);
  });

  // No GPU here: the product cannot run, so the benchmark's skip reason is what is checked.
  it.skipIf(!hasNvcc || noDeviceReason === null)(
    'gives the no-device reason where the addon is built but no device is present (only without a device)',
    () => {
      expect(noDeviceReason).toMatch(/^no CUDA device: .+/);
      expect(cudaDeviceName()).toBeNull();
    },
  );

  it.skipIf(noDeviceReason !== null)('runs a correct product on the device (needs a CUDA device)', () => {
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
