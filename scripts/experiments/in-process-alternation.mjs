// Experiment behind issue 4's next step: how noisy is ln(A/B) when both "revisions" live in ONE
// process and alternate 20 ms blocks, instead of each running in its own fresh process?
// A/A: the built suite is imported twice (two instances of its index module and two fixtures; the
// kernel modules it imports, and so their compiled code, are shared: the detection collector now
// runs the base side from a copy of the build instead).
//   node scripts/experiments/in-process-alternation.mjs matmul/ts-naive/n128 [processes=16]
// Prints the robust SD of ln(A/B) over fresh processes. Measured 2026-11-21 on the 2-core VM:
// 0.5–1.2% for matmul/ts-naive/n128, select/native-simd/p1m, gridding/native-simd/p250k-g256 and
// matmul/native-parallel/n256, against 5–14% per round for the same benchmarks with one process
// per side (docs/results/detection.txt). Caveat: both instances share one native addon here.
// What compare does now came out of this: src/bench/alternate.ts, README "The detection benchmark".
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const suiteUrl = new URL('../../dist/kernels/index.js', import.meta.url).href;
const [name, count = '16', child] = process.argv.slice(2);

if (child === '--child') {
  const load = async (tag) => (await import(`${suiteUrl}?side=${tag}`)).default;
  const pick = (s) => s.cases('quick').find((x) => `${x.kernel}/${x.implementation}/${x.fixture}` === name);
  const A = await pick(await load('a')).setup();
  const B = await pick(await load('b')).setup();
  for (let i = 0; i < 10; i++) (A.run(), B.run());
  const block = (p) => {
    const t = [];
    const end = performance.now() + 20;
    while (performance.now() < end) {
      const s = performance.now();
      p.run();
      t.push(performance.now() - s);
    }
    return t.sort((x, y) => x - y)[t.length >> 1];
  };
  const a = [];
  const b = [];
  for (let k = 0; k < 10; k++) {
    if (k % 2) (a.push(block(A)), b.push(block(B)));
    else (b.push(block(B)), a.push(block(A)));
  }
  const med = (x) => [...x].sort((p, q) => p - q)[x.length >> 1];
  console.log(Math.log(med(a) / med(b)));
} else {
  const self = fileURLToPath(import.meta.url);
  const d = Array.from({ length: Number(count) }, () => Number(execFileSync(process.execPath, [self, name, count, '--child'], { encoding: 'utf8' })));
  const med = (x) => [...x].sort((p, q) => p - q)[x.length >> 1];
  const m = med(d);
  console.log(`${name}: robust SD of ln(A/B) over ${count} processes = ${(100 * 1.4826 * med(d.map((x) => Math.abs(x - m)))).toFixed(2)}%`);
}
