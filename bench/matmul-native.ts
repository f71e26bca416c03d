/**
 * `npm run bench:matmul`: native-simd, native-parallel and OpenBLAS side by side in one process,
 * at n = 512, 1024, 2048 (or `--sizes`), with rounds interleaved in random order so drift and
 * neighbours' load hit all three alike. Prints median GFLOP/s, the min–max spread, and the ratio
 * to OpenBLAS; the target is the best native rung at 90% or more of OpenBLAS at n=2048.
 */
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { generateMatmul } from '../kernels/matmul/fixture.js';
import { loadNative } from '../src/addon/index.js';
import { loadOpenblas, type OpenblasInfo } from '../src/addon/openblas.js';
import { shuffleInPlace } from '../src/random.js';

interface Options {
  sizes: number[];
  reps: number;
  threads: number | undefined;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { sizes: [512, 1024, 2048], reps: 7, threads: undefined };
  for (let i = 0; i < argv.length; i++) {
    const [key, value] = [argv[i], argv[i + 1]];
    const number = (v: string | undefined, what: string): number => {
      const x = Number(v);
      if (!Number.isInteger(x) || x < 1) throw new Error(`'${what}' must be a positive integer but got '${v}'`);
      return x;
    };
    if (key === '--sizes') options.sizes = (value ?? '').split(',').map((v) => number(v, '--sizes'));
    else if (key === '--reps') options.reps = number(value, '--reps');
    else if (key === '--threads') options.threads = number(value, '--threads');
    else throw new Error(`unknown option '${key}' (use --sizes 512,1024,2048 --reps 7 --threads N)`);
    i++;
  }
  return options;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const addon = loadNative();
  const threads = options.threads ?? addon.defaultThreads();
  let openblas: OpenblasInfo | null = null;
  try {
    openblas = loadOpenblas(threads);
  } catch (e) {
    console.log(`openblas: skipped (${(e as Error).message})`);
  }
  console.log(
    `native SIMD level ${addon.simdLevel()}, ${threads} threads; load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  if (openblas !== null) {
    console.log(
      `openblas: core ${openblas.corename} (OPENBLAS_CORETYPE='${openblas.coretype}' from ${openblas.source}), ${openblas.config}`,
    );
    if (openblas.warning !== null) console.log(`warning: ${openblas.warning}`);
  }

  console.log(
    `\n${'n'.padStart(5)}  ${'implementation'.padEnd(16)} ${'median GFLOP/s'.padStart(14)}  ${'min–max'.padStart(13)}  vs openblas`,
  );
  for (const n of options.sizes) {
    const f = generateMatmul(n, n);
    const c = new Float64Array(n * n);
    const impls: { name: string; run: () => void }[] = [
      { name: 'native-simd', run: () => addon.matmulSimd(f.a, f.b, c, n) },
      { name: 'native-parallel', run: () => addon.matmulParallel(f.a, f.b, c, n, threads) },
    ];
    if (openblas !== null) impls.push({ name: 'openblas', run: () => openblas.addon.matmulOpenblas(f.a, f.b, c, n) });
    const rates = new Map<string, number[]>(impls.map((i) => [i.name, []]));
    for (const impl of impls) impl.run(); // warm-up: page in buffers, start OpenBLAS's pool
    for (let rep = 0; rep < options.reps; rep++) {
      for (const impl of shuffleInPlace([...impls])) {
        const start = process.hrtime.bigint();
        impl.run();
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        rates.get(impl.name)?.push((2 * n ** 3) / seconds / 1e9);
        // OpenBLAS's workers spin for a while after each call; let them go idle so they do not
        // steal the cores from whichever implementation is timed next.
        if (impl.name === 'openblas') await sleep(200);
      }
    }
    const reference = openblas !== null ? median(rates.get('openblas') ?? []) : NaN;
    for (const impl of impls) {
      const xs = rates.get(impl.name) ?? [];
      const m = median(xs);
      const spread = `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`;
      const ratio = Number.isNaN(reference) ? 'n/a' : `${((100 * m) / reference).toFixed(1)}%`;
      console.log(
        `${String(n).padStart(5)}  ${impl.name.padEnd(16)} ${m.toFixed(1).padStart(14)}  ${spread.padStart(13)}  ${ratio}`,
      );
    }
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
