/**
 * Why the CUDA runtime found no device, in words a user can act on. The runtime answers
 * "CUDA driver version is insufficient" both for an old driver and for a machine with no NVIDIA
 * GPU or driver at all, so the machine is asked whether a driver is there before that is repeated.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** cudaGetErrorString of cudaErrorInsufficientDriver. */
const insufficientDriver = 'CUDA driver version is insufficient for CUDA runtime version';
/** cudaGetErrorString of cudaErrorNoDevice. */
const noDevice = 'no CUDA-capable device is detected';

/**
 * Whether this machine shows an NVIDIA driver (its /proc entry or a /dev/nvidia* node; WSL's
 * /dev/dxg counts), or null off Linux, where that cannot be told this way. `root` is for tests.
 */
export function nvidiaDriverPresent(root = '/', platform: NodeJS.Platform = process.platform): boolean | null {
  if (platform !== 'linux') return null;
  if (existsSync(join(root, 'proc', 'driver', 'nvidia')) || existsSync(join(root, 'dev', 'dxg'))) return true;
  try {
    return readdirSync(join(root, 'dev')).some((name) => name.startsWith('nvidia'));
  } catch {
    return false;
  }
}

/**
 * The skip reason when cudaGetDeviceCount found no device: "no CUDA device" with a hint, given
 * its error string ('' when it succeeded with 0) and {@link nvidiaDriverPresent}.
 */
export function noCudaDeviceReason(runtimeError: string, driverPresent: boolean | null): string {
  const nothingThere = runtimeError === '' || runtimeError === insufficientDriver || runtimeError === noDevice;
  if (driverPresent === false && nothingThere) {
    return 'no CUDA device: no NVIDIA GPU or driver found on this machine (no /dev/nvidia*); CUDA benchmarks need one';
  }
  if (runtimeError === insufficientDriver) {
    return `no CUDA device: ${runtimeError} (the NVIDIA driver is missing from this environment or older than the CUDA toolkit benchgate_cuda.node was built with; install or update it)`;
  }
  return `no CUDA device: ${runtimeError === '' ? 'cudaGetDeviceCount found 0 devices' : runtimeError}`;
}
