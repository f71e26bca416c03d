// Experiment for issue 4: what is a benchmark's per-round noise made of? From a stored A/A
// collection of the detection benchmark, per benchmark: the timed calls per side, the time per
// call, the within-process spread of the calls, the round noise that spread alone would give
// (d = ln(head/base) of two medians of n calls: 1.2533·sd·√2/√n), the round noise observed, and
// the correlation of the two sides' medians over the rounds (near 1: whole rounds run fast or
// slow together, and pairing cancels it).
//   node scripts/experiments/noise-decomposition.mjs [baselines/detection.db]
// Measured 2026-11-22 on the 48-round collection behind docs/results/detection.txt: for most
// benchmarks the observed round noise is 1.5–3× (natives up to 10×) what the within-process
// spread explains, so the noise left is per process, not per call; the sides' medians correlate
// 0.77–0.99 over rounds that swing by up to ±30% as a whole.
import { fileURLToPath } from 'node:url';
import { median as med, medianAbsoluteDeviation, sampleCorrelation as corr } from 'simple-statistics';
const dist = (p) => fileURLToPath(new URL(`../../dist/${p}`, import.meta.url));
const { loadReplayData } = await import(dist('bench/detection/replay-data.js'));
const { MAD_TO_SD } = await import(dist('src/stats/default-threshold-pct.js'));
const data = loadReplayData(process.argv[2] ?? 'baselines/detection.db');
const rsd = (a) => MAD_TO_SD * medianAbsoluteDeviation(a);
const rows = data.names.map((n, b) => {
  const head = data.head[b];
  const base = data.base[b];
  const d = head.map((h, r) => Math.log(h.median / base[r].median));
  const within = med(head.map((v) => v.sd / v.median));
  const samples = med(head.map((v) => v.samples));
  return { n, samples, callMs: 1e3 * med(head.map((v) => v.median)), within: 100 * within, explained: (100 * 1.2533 * within * Math.SQRT2) / Math.sqrt(samples), observed: 100 * rsd(d), corr: corr(head.map((v) => v.median), base.map((v) => v.median)) };
});
rows.sort((a, b) => b.observed - a.observed);
console.log(`${'benchmark'.padEnd(40)} calls  ms/call  within%  explained%  observed%  corr`);
for (const r of rows) console.log(`${r.n.padEnd(40)} ${String(r.samples).padStart(5)} ${r.callMs.toFixed(2).padStart(8)} ${r.within.toFixed(2).padStart(8)} ${r.explained.toFixed(2).padStart(11)} ${r.observed.toFixed(2).padStart(10)} ${r.corr.toFixed(2).padStart(5)}`);
console.log(`median observed/explained: ${med(rows.map((r) => r.observed / r.explained)).toFixed(1)}×`);
