// Times eDivisive on 2,000-point series (noise, and noise with shifts). Run with
//   npx esbuild bench/e-divisive-timing.ts --bundle --platform=node --format=esm --outfile=/tmp/ted.mjs && node /tmp/ted.mjs
// Reports the median wall time of 11 runs and the median CPU time (steadier on a loaded machine).
import { performance } from 'node:perf_hooks';
import { eDivisive } from '../src/stats/e-divisive.js';
import { seededRandom } from '../src/random.js';

function gaussian(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function series(n: number, shifts: [number, number][], seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    let level = 1;
    for (const [at, factor] of shifts) if (i >= at) level *= factor;
    return level * (1 + 0.02 * gaussian(random));
  });
}

const cases: [string, number[]][] = [
  ['noise', series(2000, [], 1)],
  ['1 shift (+5% at 1500)', series(2000, [[1500, 1.05]], 2)],
  [
    '4 shifts',
    series(
      2000,
      [
        [400, 1.05],
        [900, 0.95],
        [1400, 1.1],
        [1800, 1.03],
      ],
      3,
    ),
  ],
];
for (const [name, xs] of cases) {
  const times: number[] = [];
  const cpu: number[] = [];
  let found = 0;
  eDivisive(xs); // JIT warm-up
  for (let r = 0; r < 11; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    found = eDivisive(xs).length;
    const c = process.cpuUsage(c0);
    times.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  console.log(
    `${name}: ${found} change points; wall median ${times[5]?.toFixed(1)} ms (max ${times[10]?.toFixed(1)}), CPU median ${cpu[5]?.toFixed(1)} ms`,
  );
}
