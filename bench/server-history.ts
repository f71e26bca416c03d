/**
 * The generated history of `npm run bench:server`: BENCH_BENCHMARKS benchmarks (default 500) ×
 * BENCH_COMMITS main-branch runs (default 2,000), every 7th benchmark 15% slower from run 1,200.
 * Shared by the bench and its load-client process.
 */
import { RUN_SCHEMA, type BenchmarkResult, type RunReport } from '../src/model.js';
import { seededRandom } from '../src/random.js';

/** Benchmarks per run. */
export const BENCHMARKS = Number(process.env.BENCH_BENCHMARKS ?? 500);
/** Runs (commits) in the history. */
export const COMMITS = Number(process.env.BENCH_COMMITS ?? 2000);

const KERNELS = ['matmul', 'gridding', 'ode-ensemble', 'select', 'stencil', 'fft', 'sort', 'scan', 'histogram', 'spmv'];

/** The benchmark names. */
export function names(): string[] {
  return Array.from(
    { length: BENCHMARKS },
    (_, i) =>
      `${KERNELS[i % KERNELS.length]}/impl-${Math.floor(i / KERNELS.length) % 10}/n${Math.floor(i / (KERNELS.length * 10))}`,
  );
}

/** Run `i` of the history. */
export function runAt(i: number, all: string[]): RunReport {
  const random = seededRandom(1000 + i);
  const t = Date.UTC(2025, 0, 1) + i * 3_600_000;
  const benchmarks: BenchmarkResult[] = all.map((name, k) => {
    const [kernel = '', implementation = '', fixture = ''] = name.split('/');
    // Every 7th benchmark slows down by 15% at commit 1,200: change points to find.
    const level = 1e-5 * (1 + (k % 37)) * (k % 7 === 0 && i >= 1200 ? 1.15 : 1);
    const m = level * (1 + 0.02 * (random() - 0.5));
    return {
      name,
      kernel,
      implementation,
      fixture,
      fixtureChecksum: 'feed',
      work: { flops: 1e6, bytes: 1e6 },
      presence: 'both',
      measures: [],
      state: 'completed',
      reason: null,
      medianSeconds: m,
      spreadPct: 1,
      baselineMedianSeconds: level,
      gflops: 1e-3 / m,
      gbps: 1e-3 / m,
      measurements: [
        {
          round: 1,
          side: 'head',
          state: 'completed',
          reason: null,
          samples: 50,
          medianSeconds: m,
          meanSeconds: m,
          minSeconds: m,
          maxSeconds: m,
          madSeconds: m / 100,
        },
      ],
      verdict: {
        kind: 'unchanged',
        method: 'history-robust-z',
        changePct: 0.1,
        ciLowPct: -1,
        ciHighPct: 1,
        pValue: null,
        thresholdPct: 3,
        reason: 'bench',
        details: {},
      },
    };
  });
  return {
    schema: RUN_SCHEMA,
    id: `bench-${i}`,
    kind: 'history',
    project: 'bench',
    profile: 'quick',
    startedAt: new Date(t).toISOString(),
    finishedAt: new Date(t + 60_000).toISOString(),
    testbed: {
      key: 'bench-tb',
      cpuModel: 'bench CPU',
      cores: 2,
      simd: 'avx2',
      os: 'linux-x64',
      node: 'v20',
      gpu: null,
    },
    head: {
      sha: (0x1000000 + i).toString(16).padStart(40, 'a'),
      ref: 'main',
      dirty: false,
      message: `commit ${i}`,
      committedAt: new Date(t).toISOString(),
    },
    base: null,
    settings: {},
    benchmarks,
    summary: { regressed: 0, improved: 0, unchanged: all.length, inconclusive: 0, errored: 0, skipped: 0 },
  };
}
