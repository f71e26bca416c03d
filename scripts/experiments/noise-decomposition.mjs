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
const { loadReplayData } = await import(fileURLToPath(new URL('../../dist/bench/detection/replay-data.js', import.meta.url)));
const data = loadReplayData(process.argv[2] ?? 'baselines/detection.db');
const med = (a) => {
  const s = [...a].sort((x, y) => x - y);
  const n = s.length;
  return n % 2 ? s[n >> 1] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
const rsd = (a) => 1.4826 * med(a.map((x) => Math.abs(x - med(a))));
const corr = (a, b) => {
  const ma = a.reduce((x, y) => x + y) / a.length;
  const mb = b.reduce((x, y) => x + y) / b.length;
  let s = 0, sa = 0, sb = 0;
  for (let i = 0; i < a.length; i++) (s += (a[i] - ma) * (b[i] - mb)), (sa += (a[i] - ma) ** 2), (sb += (b[i] - mb) ** 2);
  return s / Math.sqrt(sa * sb);
};
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
