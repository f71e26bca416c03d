/**
 * The one loader of benchgate's native addons (STYLE rule 8): tries the built `.node` files in
 * order, probes the CPU and the GPU, and when nothing loads says what was tried and how to fix it.
 * Kernels ask `nativeUnavailableReason()` / `cudaUnavailableReason()` so a missing addon or device
 * becomes a skipped benchmark with its reason, never a crash.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { noCudaDeviceReason, nvidiaDriverPresent } from './cuda-device.js';
import type { CudaAddon, NativeAddon, SimdLevelName } from './types.js';

export type {
  CpuFeatures,
  CudaAddon,
  CudaMatmulHandle,
  NativeAddon,
  OpenblasLoadStatus,
  SimdLevelName,
} from './types.js';

/** Thrown when an addon cannot be loaded here; `reason` is the actionable message. */
export class AddonUnavailableError extends Error {
  override name = 'AddonUnavailableError';
  constructor(
    readonly reason: string,
    /** Every candidate path tried, with why it failed. */
    readonly tried: string[],
  ) {
    super(reason);
  }
}

/** Where to look for the addons; defaults to the package's build folders. */
export interface LoadOptions {
  /** A folder holding the `.node` file; overrides BENCHGATE_NATIVE_DIR / BENCHGATE_CUDA_DIR. */
  dir?: string;
}

const require = createRequire(import.meta.url);

/** The package root: the nearest folder above this module with benchgate's package.json. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && /"name":\s*"benchgate"/.test(readFileSync(manifest, 'utf8'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`benchgate's package.json not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

function candidates(file: string, options: LoadOptions, envVar: string, buildDir: string): string[] {
  const override = options.dir ?? process.env[envVar];
  if (override !== undefined && override !== '') return [join(override, file)];
  const root = packageRoot();
  return [join(root, buildDir, 'Release', file), join(root, buildDir, 'Debug', file)];
}

/** Requires the first candidate that loads; otherwise throws with every path and its error. */
function loadFirst<T>(paths: string[], what: string, fix: string): T {
  const tried: string[] = [];
  for (const path of paths) {
    if (!existsSync(path)) {
      tried.push(`${path}: not found`);
      continue;
    }
    try {
      return require(path) as T;
    } catch (e) {
      tried.push(`${path}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  const reason = `${what} is not available (tried ${tried.join('; ')}). ${fix}`;
  throw new AddonUnavailableError(reason, tried);
}

/** CPU flags from /proc/cpuinfo, for messages and the level reported when no addon loads. */
function cpuinfoLevel(): SimdLevelName {
  try {
    const flags = new Set((/^flags\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '').split(/\s+/));
    if (['avx512f', 'avx512dq', 'avx512vl', 'fma'].every((f) => flags.has(f))) return 'avx512';
    if (flags.has('avx2') && flags.has('fma')) return 'avx2';
  } catch {
    // not Linux: the level stays unknown, reported as scalar
  }
  return 'scalar';
}

const loaded = new Map<string, unknown>();

/** Loads the first of `paths` that loads, once per search path; a failure is cached and thrown again. */
function loadCached<T>(paths: string[], what: string, fix: () => string): T {
  const key = paths.join('\n');
  if (!loaded.has(key)) {
    try {
      loaded.set(key, loadFirst<T>(paths, what, fix()));
    } catch (e) {
      if (!(e instanceof AddonUnavailableError)) throw e;
      loaded.set(key, e);
    }
  }
  const cached = loaded.get(key);
  if (cached instanceof AddonUnavailableError) throw cached;
  return cached as T;
}

/**
 * Loads benchgate_native.node (cached per search path). Throws AddonUnavailableError when it is
 * not built or does not load, and a plain Error when BENCHGATE_SIMD holds an unknown level.
 */
export function loadNative(options: LoadOptions = {}): NativeAddon {
  const addon = loadCached<NativeAddon>(
    candidates('benchgate_native.node', options, 'BENCHGATE_NATIVE_DIR', join('native', 'build')),
    'the native addon benchgate_native.node',
    () =>
      `Build it with \`npm run build:native\` (needs a C++ compiler, make and python3); this CPU supports ${cpuinfoLevel()}.`,
  );
  addon.simdLevel(); // surfaces an invalid BENCHGATE_SIMD here, at the edge, not mid-benchmark
  return addon;
}

/** Why the native benchmarks cannot run here, or null when they can (for `Implementation.unavailable`). */
export function nativeUnavailableReason(options: LoadOptions = {}): string | null {
  try {
    loadNative(options);
    return null;
  } catch (e) {
    if (e instanceof AddonUnavailableError) return e.reason;
    throw e;
  }
}

/** The native SIMD level in use, or 'scalar' with the reason when the addon does not load. */
export function simdLevel(options: LoadOptions = {}): { level: SimdLevelName; reason: string | null } {
  try {
    return { level: loadNative(options).simdLevel(), reason: null };
  } catch (e) {
    if (e instanceof AddonUnavailableError) return { level: 'scalar', reason: e.reason };
    throw e;
  }
}

/** Loads benchgate_cuda.node (cached per search path); it loads without a GPU or driver. */
export function loadCuda(options: LoadOptions = {}): CudaAddon {
  return loadCached<CudaAddon>(
    candidates('benchgate_cuda.node', options, 'BENCHGATE_CUDA_DIR', join('native', 'cuda', 'build')),
    'the CUDA addon benchgate_cuda.node',
    () => 'It is built by `npm run build:native` only where nvcc (the CUDA toolkit) is on PATH.',
  );
}

/** Why CUDA benchmarks cannot run: no addon built, or "no CUDA device: <why, with a hint>"; null when one can. */
export function cudaUnavailableReason(options: LoadOptions = {}): string | null {
  let cuda: CudaAddon;
  try {
    cuda = loadCuda(options);
  } catch (e) {
    if (e instanceof AddonUnavailableError) return e.reason;
    throw e;
  }
  const { count, error } = cuda.deviceCount();
  if (count > 0) return null;
  return noCudaDeviceReason(error, nvidiaDriverPresent());
}

/** The first CUDA device's name for the testbed fingerprint, or null when there is none. */
export function cudaDeviceName(options: LoadOptions = {}): string | null {
  if (cudaUnavailableReason(options) !== null) return null;
  return loadCuda(options).deviceName(0);
}
