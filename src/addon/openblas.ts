/**
 * OpenBLAS as the matmul reference, at its best: Debian's DYNAMIC_ARCH build can misdetect new
 * CPUs and fall back to a slow kernel, which would flatter our ratio, so the core type is chosen
 * from the CPU's features and set before the library loads (a user's OPENBLAS_CORETYPE wins).
 */
import { AddonUnavailableError, loadNative, type LoadOptions } from './index.js';
import type { CpuFeatures, NativeAddon } from './types.js';

/** Where the core type came from: the user's environment, our feature check, or OpenBLAS itself. */
export type CoretypeSource = 'environment' | 'cpu-features' | 'library-detection';

/** A loaded OpenBLAS and how it was configured, for reports. */
export interface OpenblasInfo {
  addon: NativeAddon;
  /** The OPENBLAS_CORETYPE in effect when it loaded ('' when OpenBLAS detected it itself). */
  coretype: string;
  source: CoretypeSource;
  /** The kernel family OpenBLAS reports running (openblas_get_corename). */
  corename: string;
  config: string;
  threads: number;
  /** Set when the user's OPENBLAS_CORETYPE is narrower than what this CPU can run. */
  warning: string | null;
}

/** The OpenBLAS core type whose dgemm kernel uses the widest SIMD these features allow, or null. */
export function coretypeFor(f: CpuFeatures): string | null {
  if (f.avx512f && f.avx512dq && f.avx512vl && f.avx512bw && f.fma) return 'SkylakeX';
  if (f.avx2 && f.fma) return 'Haswell';
  return null;
}

/**
 * Picks OPENBLAS_CORETYPE: the user's value when set (with a warning when it is narrower than this
 * CPU allows), else the one our feature check picks, else '' to let OpenBLAS detect.
 */
export function chooseCoretype(
  features: CpuFeatures,
  fromEnvironment: string | undefined,
): { coretype: string; source: CoretypeSource; warning: string | null } {
  const chosen = coretypeFor(features);
  if (fromEnvironment !== undefined && fromEnvironment !== '') {
    const warning =
      chosen !== null && fromEnvironment.toLowerCase() !== chosen.toLowerCase()
        ? `OPENBLAS_CORETYPE=${fromEnvironment} was set in the environment; this CPU could run ${chosen}, ` +
          'so OpenBLAS may be slower than it can be and ratios to it flattering'
        : null;
    return { coretype: fromEnvironment, source: 'environment', warning };
  }
  if (chosen !== null) return { coretype: chosen, source: 'cpu-features', warning: null };
  return { coretype: '', source: 'library-detection', warning: null };
}

let loaded: OpenblasInfo | AddonUnavailableError | undefined;

/**
 * Loads OpenBLAS once per process with `threads` threads (default: as many as native-parallel
 * uses). Throws AddonUnavailableError when the native addon or the library is missing.
 */
export function loadOpenblas(threads?: number, options: LoadOptions = {}): OpenblasInfo {
  if (loaded instanceof AddonUnavailableError) throw loaded;
  if (loaded !== undefined) {
    if (threads !== undefined && threads !== loaded.threads) {
      loaded.addon.openblasLoad(null, threads); // OpenBLAS can change its pool size after loading
      loaded = { ...loaded, threads };
    }
    return loaded;
  }
  const addon = loadNative(options);
  const n = threads ?? addon.defaultThreads();
  const { coretype, source, warning } = chooseCoretype(addon.cpuFeatures(), process.env.OPENBLAS_CORETYPE);
  const status = addon.openblasLoad(coretype === '' ? null : coretype, n);
  if (!status.loaded) {
    loaded = new AddonUnavailableError(status.error, [status.error]);
    throw loaded;
  }
  loaded = { addon, coretype, source, corename: status.corename, config: status.config, threads: n, warning };
  return loaded;
}

/** Why the openblas reference cannot run here, or null (for `Implementation.unavailable`). */
export function openblasUnavailableReason(options: LoadOptions = {}): string | null {
  try {
    loadOpenblas(undefined, options);
    return null;
  } catch (e) {
    if (e instanceof AddonUnavailableError) return e.reason;
    throw e;
  }
}
