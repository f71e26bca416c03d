// With no GPU and no driver, the CUDA rows say so; the runtime's "driver version is insufficient"
// is kept (with a hint) for a machine that has a driver.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { cudaUnavailableReason } from '../../../src/addon/index.js';
import { noCudaDeviceReason, nvidiaDriverPresent } from '../../../src/addon/cuda-device.js';

const insufficient = 'CUDA driver version is insufficient for CUDA runtime version';
const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

/** A fake filesystem root holding `files` (empty files; folders made as needed). */
function root(...files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'benchgate-nvidia-'));
  roots.push(dir);
  mkdirSync(join(dir, 'dev'));
  for (const f of files) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), '');
  }
  return dir;
}

describe('noCudaDeviceReason', () => {
  it('says there is no GPU or driver, not that the driver is too old, where no driver is present', () => {
    for (const error of [insufficient, 'no CUDA-capable device is detected', '']) {
      const reason = noCudaDeviceReason(error, false);
      expect(reason).toMatch(/^no CUDA device: no NVIDIA GPU or driver found/);
      expect(reason).not.toContain('insufficient');
    }
  });

  it('keeps the driver detail, with what to do, where a driver is present or cannot be told', () => {
    for (const present of [true, null]) {
      const reason = noCudaDeviceReason(insufficient, present);
      expect(reason).toMatch(new RegExp(`^no CUDA device: ${insufficient} \\(.*update it\\)$`));
    }
    expect(noCudaDeviceReason('no CUDA-capable device is detected', true)).toBe(
      'no CUDA device: no CUDA-capable device is detected',
    );
    expect(noCudaDeviceReason('', true)).toBe('no CUDA device: cudaGetDeviceCount found 0 devices');
  });

  it('passes any other runtime error through, even with no driver', () => {
    expect(noCudaDeviceReason('initialization error', false)).toBe('no CUDA device: initialization error');
  });
});

describe('nvidiaDriverPresent', () => {
  it('looks for /dev/nvidia*, /proc/driver/nvidia and WSL /dev/dxg on Linux', () => {
    expect(nvidiaDriverPresent(root(), 'linux')).toBe(false);
    expect(nvidiaDriverPresent(root('dev/null', 'dev/nvme0'), 'linux')).toBe(false);
    expect(nvidiaDriverPresent(root('dev/nvidiactl'), 'linux')).toBe(true);
    expect(nvidiaDriverPresent(root('dev/nvidia0'), 'linux')).toBe(true);
    expect(nvidiaDriverPresent(root('proc/driver/nvidia/version'), 'linux')).toBe(true);
    expect(nvidiaDriverPresent(root('dev/dxg'), 'linux')).toBe(true);
  });

  it('cannot tell off Linux', () => {
    expect(nvidiaDriverPresent(root(), 'win32')).toBeNull();
    expect(nvidiaDriverPresent(root(), 'darwin')).toBeNull();
  });
});

describe('the CUDA skip reason on this machine', () => {
  const hasNvcc = spawnSync('nvcc', ['--version']).status === 0;
  it.runIf(hasNvcc && nvidiaDriverPresent() === false)(
    'says "no CUDA device" with the hint where the addon is built but no driver is installed',
    () => {
      const reason = cudaUnavailableReason();
      expect(reason).toMatch(/^no CUDA device: no NVIDIA GPU or driver found/);
      expect(reason).not.toContain('insufficient');
    },
  );
});
