/**
 * The JavaScript shapes of the native addons (native/src/addon.cc, native/src/cuda_addon.cc),
 * declared once so kernels and the testbed fingerprint share them.
 */

/** The SIMD levels the native kernels are compiled for, chosen at run time. */
export type SimdLevelName = 'avx512' | 'avx2' | 'scalar';

/** What CPUID said, as the native addon saw it (OS support for the wide registers included). */
export interface CpuFeatures {
  avx2: boolean;
  fma: boolean;
  avx512f: boolean;
  avx512dq: boolean;
  avx512vl: boolean;
  avx512bw: boolean;
  /** The widest level these features allow, before any BENCHGATE_SIMD cap. */
  widest: SimdLevelName;
}

/** What `openblasLoad` found: the library, and the kernel family OpenBLAS says it runs. */
export interface OpenblasLoadStatus {
  loaded: boolean;
  path: string;
  error: string;
  corename: string;
  config: string;
}

/** One FMA-peak probe: an FMA counts as two flops. */
export interface FmaPeakResult {
  gflops: number;
  flops: number;
  seconds: number;
  level: SimdLevelName;
  threads: number;
}

/** C = A·B for n×n row-major operands; `c` is overwritten and returned. */
type Matmul = (a: Float64Array, b: Float64Array, c: Float64Array, n: number) => Float64Array;
type MatmulThreaded = (a: Float64Array, b: Float64Array, c: Float64Array, n: number, threads?: number) => Float64Array;
type MatmulAsync = (a: Float64Array, b: Float64Array, c: Float64Array, n: number) => Promise<Float64Array>;
type MatmulThreadedAsync = (
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  n: number,
  threads?: number,
) => Promise<Float64Array>;

/** benchgate_native.node. The `*Async` variants run on libuv's pool and keep the event loop live. */
export interface NativeAddon {
  /** The active level: the CPU's widest, capped by BENCHGATE_SIMD; throws on an unknown value. */
  simdLevel(): SimdLevelName;
  cpuFeatures(): CpuFeatures;
  /** Hardware concurrency: native-parallel's and OpenBLAS's default thread count. */
  defaultThreads(): number;
  matmulScalar: Matmul;
  matmulSimd: Matmul;
  matmulParallel: MatmulThreaded;
  /** Needs a successful `openblasLoad` first. */
  matmulOpenblas: Matmul;
  matmulScalarAsync: MatmulAsync;
  matmulSimdAsync: MatmulAsync;
  matmulParallelAsync: MatmulThreadedAsync;
  matmulOpenblasAsync: MatmulAsync;
  /**
   * Measures the FP64 FMA roof at the active level: independent FMA chains on `threads` threads
   * (default: hardware concurrency) for `iterations` rounds (default: ~0.1 s per thread).
   */
  fmaPeak(threads?: number, iterations?: number): FmaPeakResult;
  /** dlopens libopenblas once, setting OPENBLAS_CORETYPE (unless set) and the thread count first. */
  openblasLoad(coretype: string | null, threads?: number): OpenblasLoadStatus;
}

/** Device buffers of one n×n product: A and B uploaded at construction. */
export interface CudaMatmulHandle {
  /** Runs the kernel and waits for it; operands stay on the device (no transfers timed). */
  run(): void;
  /** Copies C to the host. */
  read(c: Float64Array): Float64Array;
  /** Frees the device memory; the handle is unusable afterwards. */
  dispose(): void;
}

/** benchgate_cuda.node. */
export interface CudaAddon {
  /** Device count, or 0 with the CUDA runtime's error string. */
  deviceCount(): { count: number; error: string };
  deviceName(device: number): string;
  CudaMatmul: new (a: Float64Array, b: Float64Array, n: number) => CudaMatmulHandle;
}
