// Experiment for issue 4: most benchmarks' round noise is per instance (where a side's fixture
// landed in memory, the code its module got), not per call (noise-decomposition.mjs: observed
// 1.5–3×, natives up to 25×, what the within-process spread explains). Does setting each side up
// k times in the one process, alternating blocks over all 2k cases and taking d as the mean of the
// instances' ln(median) differences, average that away at the same timed budget per side?
// Processes with k = 1 and k = K alternate (order random in each pair); A/A on a copy of the build.
//   node scripts/experiments/instances.mjs [pairs of processes=20] [K=2] [taskTimeMs=48] [filter]
// K = 'c': two instances per side from two copies of the build (so each has its own compiled code
// and native addon); K = 'w': one instance, with the warm-up compare had before (30 ms, 5 calls).
// Prints per benchmark the robust SD of d for each k and the milliseconds a process spent on it.
// Measured 2026-11-22 on the 2-core VM at 48 ms, on the noisiest benchmarks of collection F (plus
// a few quiet ones), median robust SD of d over the benchmarks:
//   K=2, 20 pairs: 2.13% with one instance, 2.03% with two (select/ts-push/p1m 2.1% → 15.3%,
//     matmul/ts-naive/n128 1.4% → 4.3%), 30% more time a process: the same module's second
//     fixture shares its compiled code, and two fixtures a side crowd the heap;
//   K=c, 24 pairs: 1.86% against 2.77% (select/native-simd/p1m 2.6% → 9.9%), 45% more time:
//     four copies of the build in one process are worse, not better;
//   K=w, 20 pairs, the JS rungs: 1.50% with today's warm-up against 1.66% with the old one.
// None adopted: one instance a side, as compare measures.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { median, medianAbsoluteDeviation, mean } from 'simple-statistics';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dist = (p) => join(root, 'dist', p);
const { loadSuite, selectCases } = await import(dist('src/bench/suite.js'));
const { caseName } = await import(dist('src/bench/suite-types.js'));
const { alternate } = await import(dist('src/bench/alternate.js'));
const { warmupMsFor, WARMUP_CALLS } = await import(dist('src/bench/protocol.js'));
const { MAD_TO_SD } = await import(dist('src/stats/default-threshold-pct.js'));
const [pairs = '20', K = '2', taskTimeMs = '48', filter = null, child, baseSuite, kChild] = process.argv.slice(2);
const headSuite = dist('kernels/index.js');
const { shuffleInPlace: shuffle } = await import(dist('src/random.js'));

if (child === '--child') {
  // K = 'w': one instance per side, with the warm-up before commit 7cf5622 (30 ms and 5 calls at least).
  // K = 'c': two instances per side, the second from another copy of the build (its own code).
  const oldWarmup = kChild === 'w';
  const copies = kChild === 'c';
  const k = oldWarmup ? 1 : copies ? 2 : Number(kChild);
  const t = Number(taskTimeMs) / k;
  const [base1, base2, head2] = baseSuite.split(',');
  const load = async (path) => selectCases(await loadSuite(path), 'quick', filter === '-' ? null : filter);
  const sides = [await load(base1), await load(headSuite)];
  const second = copies ? [await load(base2), await load(head2)] : sides;
  const out = [];
  for (const name of shuffle(sides[0].map(caseName).filter((n) => !n.includes('/cuda/')))) {
    const start = performance.now();
    const prepared = [];
    for (let i = 0; i < k; i++) {
      const from = i === 0 ? sides : second;
      for (const s of Math.random() < 0.5 ? [0, 1] : [1, 0]) prepared.push({ s, p: await from[s].find((c) => caseName(c) === name).setup() });
    }
    const times = await alternate(
      prepared.map(({ s, p }) => ({ side: s === 0 ? 'base' : 'head', run: p.run })),
      { taskTimeMs: t, minIterations: Math.max(2, Math.ceil(5 / k)), minBlocks: Math.max(2, Math.ceil(4 / k)), warmupMs: oldWarmup ? Math.min(Math.max(t / 4, 30), 500) : warmupMsFor(t), warmupIterations: oldWarmup ? 5 : WARMUP_CALLS },
    );
    for (const { p } of prepared) p.teardown?.();
    const lm = (s) => mean(times.filter((_, j) => prepared[j].s === s).map((x) => Math.log(median(x.samplesMs))));
    out.push({ name, d: lm(1) - lm(0), ms: performance.now() - start });
  }
  process.send(out, () => process.disconnect());
} else {
  const { copyBuild } = await import(dist('bench/detection/collect.js'));
  const copy = copyBuild(root);
  const more = K === 'c' ? [copyBuild(root), copyBuild(root)] : [];
  const rows = new Map();
  const t0 = Date.now();
  const ks = [1, K === 'w' || K === 'c' ? K : Number(K)];
  try {
    for (let p = 0; p < Number(pairs); p++) {
      for (const k of shuffle([...ks])) {
        const got = await new Promise((resolve, reject) => {
          const c = fork(fileURLToPath(import.meta.url), [pairs, K, taskTimeMs, filter ?? '-', '--child', [copy, ...more].map((c) => join(c, 'dist/kernels/index.js')).join(','), String(k)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
          c.once('message', resolve);
          c.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`child exited ${code}`))));
        });
        for (const r of got) {
          const key = `${r.name}|${k}`;
          (rows.get(key) ?? rows.set(key, []).get(key)).push(r);
        }
      }
      process.stderr.write(`\rpair ${p + 1}/${pairs} · ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
  } finally {
    for (const c of [copy, ...more]) rmSync(c, { recursive: true, force: true });
  }
  process.stderr.write('\n');
  const rsd = (a) => 100 * MAD_TO_SD * medianAbsoluteDeviation(a);
  const names = [...new Set([...rows.keys()].map((x) => x.split('|')[0]))].sort();
  console.log(`${'benchmark'.padEnd(40)} ${ks.map((k) => `sd% k=${k}`.padStart(9) + `ms k=${k}`.padStart(9) + `>5% k=${k}`.padStart(9)).join('')}`);
  const sums = ks.map(() => ({ sd: [], ms: 0 }));
  for (const n of names) {
    const cols = ks.map((k, i) => {
      const rs = rows.get(`${n}|${k}`);
      const sd = rsd(rs.map((r) => r.d));
      const ms = median(rs.map((r) => r.ms));
      sums[i].sd.push(sd);
      sums[i].ms += ms;
      return `${sd.toFixed(2).padStart(9)}${ms.toFixed(0).padStart(9)}${String(rs.filter((r) => Math.abs(r.d) > 0.05).length).padStart(9)}`;
    });
    console.log(`${n.padEnd(40)} ${cols.join('')}`);
  }
  console.log(ks.map((k, i) => `k=${k}: median sd ${median(sums[i].sd).toFixed(2)}%, ${(sums[i].ms / 1000).toFixed(1)} s a process`).join(' · '));
}
