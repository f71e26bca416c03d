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
   * Bins chunked points onto a grid (kernels/gridding) on `threads` threads (default 1) at the
   * active SIMD level; returns the bytes of private accumulator grids it used.
   */
  griddingRun(
    chunks: { x: Float64Array; y: Float64Array; value: Float64Array }[],
    grid: { nx: number; ny: number; x0: number; y0: number; invCell: number },
    out: { count: Uint32Array; mean: Float64Array; min: Float64Array; max: Float64Array },
    threads?: number,
  ): number;
  /** Frees the accumulator grids griddingRun keeps between calls; false when a call is using them. */
  griddingReleasePool(): boolean;
  /** Writes the selected global indices (kernels/select) to `out` (room for every point); returns the count. */
  selectRun(
    chunks: { x: Float64Array; y: Float64Array; value: Float64Array }[],
    query: { xMin: number; xMax: number; yMin: number; yMax: number; vMin: number; vMax: number },
    out: Uint32Array,
    threads?: number,
  ): number;
  /** Integrates the FitzHugh–Nagumo sweep (kernels/ode-ensemble) into `v` and `w`. */
  odeRun(
    columns: {
      a: Float64Array;
      b: Float64Array;
      eps: Float64Array;
      current: Float64Array;
      v0: Float64Array;
      w0: Float64Array;
    },
    steps: number,
    dt: number,
    v: Float64Array,
    w: Float64Array,
    threads?: number,
  ): void;
  /** The roofline's compute roof, one pass (about 10 ms): independent FP64 FMA chains at the active level; returns the flops done. */
  fmaPass(threads: number): number;
  /** The roofline's memory roof, one STREAM-triad pass a = b + 3·c; returns the bytes counted (24 per element). */
  triadPass(threads: number, a: Float64Array, b: Float64Array, c: Float64Array): number;
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

/** Points (kernels/gridding) resident on the device; `run` bins them and waits. */
export interface CudaGriddingHandle {
  run(): void;
  read(out: { count: Uint32Array; mean: Float64Array; min: Float64Array; max: Float64Array }): unknown;
  dispose(): void;
}

/** Points (kernels/select) resident on the device; `run` compacts the selected indices and returns their count. */
export interface CudaSelectHandle {
  run(): number;
  /** Copies the last run's indices into `out`; returns the count. */
  read(out: Uint32Array): number;
  dispose(): void;
}

/** A FitzHugh–Nagumo sweep (kernels/ode-ensemble) resident on the device, one thread per system. */
export interface CudaOdeHandle {
  run(): void;
  read(v: Float64Array, w: Float64Array): void;
  dispose(): void;
}

type PointChunks = { x: Float64Array; y: Float64Array; value: Float64Array }[];

/** benchgate_cuda.node. */
export interface CudaAddon {
  /** Device count, or 0 with the CUDA runtime's error string. */
  deviceCount(): { count: number; error: string };
  deviceName(device: number): string;
  CudaMatmul: new (a: Float64Array, b: Float64Array, n: number) => CudaMatmulHandle;
  CudaGridding: new (
    chunks: PointChunks,
    grid: { nx: number; ny: number; x0: number; y0: number; invCell: number },
  ) => CudaGriddingHandle;
  CudaSelect: new (
    chunks: PointChunks,
    query: { xMin: number; xMax: number; yMin: number; yMax: number; vMin: number; vMax: number },
  ) => CudaSelectHandle;
  CudaOde: new (
    columns: {
      a: Float64Array;
      b: Float64Array;
      eps: Float64Array;
      current: Float64Array;
      v0: Float64Array;
      w0: Float64Array;
    },
    steps: number,
    dt: number,
  ) => CudaOdeHandle;
}
