// Times eDivisive on 2,000-point series (noise, and noise with shifts): `npx tsx scripts/time-e-divisive.ts`
// or `node --experimental-strip-types` on Node 22+. Reports the median of repeated runs in ms.
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
  ['4 shifts', series(2000, [[400, 1.05], [900, 0.95], [1400, 1.1], [1800, 1.03]], 3)],
];
for (const [name, xs] of cases) {
  const times: number[] = [];
  let found = 0;
  for (let r = 0; r < 11; r++) {
    const t0 = performance.now();
    found = eDivisive(xs).length;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(`${name}: ${found} change points, median ${times[5]?.toFixed(1)} ms, max ${times[10]?.toFixed(1)} ms (first run ${times[0] !== undefined ? '' : ''}included)`);
}
