/**
 * OpenBLAS as the matmul reference, at its best: Debian's DYNAMIC_ARCH build can misdetect new
 * CPUs and fall back to a slow kernel, which would flatter our ratio, so the core type is chosen
 * from the CPU's features and set before the library loads. An OPENBLAS_CORETYPE inherited from the
 * environment does not win (CI images set narrow ones for reproducibility, and a narrower kernel
 * halves OpenBLAS here); only BENCHGATE_OPENBLAS_CORETYPE, named for this purpose, overrides the choice.
 */
import { AddonUnavailableError, loadNative, type LoadOptions } from './index.js';
import type { CpuFeatures, NativeAddon } from './types.js';

/** Where the core type came from: BENCHGATE_OPENBLAS_CORETYPE, our feature check, or OpenBLAS itself. */
export type CoretypeSource = 'explicit' | 'cpu-features' | 'library-detection';

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
  /** Set when an explicit or inherited core type differs from what this CPU can run best. */
  warning: string | null;
}

/** The OpenBLAS core type whose dgemm kernel uses the widest SIMD these features allow, or null. */
export function coretypeFor(f: CpuFeatures): string | null {
  if (f.avx512f && f.avx512dq && f.avx512vl && f.avx512bw && f.fma) return 'SkylakeX';
  if (f.avx2 && f.fma) return 'Haswell';
  return null;
}

/**
 * Picks OPENBLAS_CORETYPE: BENCHGATE_OPENBLAS_CORETYPE when set (warning when it differs from what
 * this CPU allows), else our feature check's choice (noting an inherited OPENBLAS_CORETYPE it
 * replaces), else '' to let OpenBLAS detect.
 */
export function chooseCoretype(
  features: CpuFeatures,
  explicit: string | undefined,
  inherited: string | undefined = undefined,
): { coretype: string; source: CoretypeSource; warning: string | null } {
  const chosen = coretypeFor(features);
  if (explicit !== undefined && explicit !== '') {
    const warning =
      chosen !== null && explicit.toLowerCase() !== chosen.toLowerCase()
        ? `BENCHGATE_OPENBLAS_CORETYPE=${explicit}; this CPU could run ${chosen}, so OpenBLAS may be slower than it can be and ratios to it flattering`
        : null;
    return { coretype: explicit, source: 'explicit', warning };
  }
  const replaced =
    inherited !== undefined && inherited !== '' && inherited.toLowerCase() !== (chosen ?? '').toLowerCase()
      ? `OPENBLAS_CORETYPE=${inherited} from the environment was replaced by ${chosen ?? "OpenBLAS's own detection"} (set BENCHGATE_OPENBLAS_CORETYPE to force a core type)`
      : null;
  if (chosen !== null) return { coretype: chosen, source: 'cpu-features', warning: replaced };
  return { coretype: '', source: 'library-detection', warning: replaced };
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
  const { coretype, source, warning } = chooseCoretype(
    addon.cpuFeatures(),
    process.env.BENCHGATE_OPENBLAS_CORETYPE,
    process.env.OPENBLAS_CORETYPE,
  );
  // OpenBLAS's idle threads spin for ~2^28 cycles (~0.1 s) after each call, stealing the other
  // core from whatever the worker measures next; 2^4 cycles lets them sleep at once.
  process.env.OPENBLAS_THREAD_TIMEOUT ??= '4';
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
