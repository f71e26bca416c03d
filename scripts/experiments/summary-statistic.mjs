// Experiment for issue 4: which per-process summary gives the steadiest d = ln(head/base)? Reads the
// newest A/A collection of the detection benchmark and prints, per benchmark, the robust SD of d
// over rounds from the medians (what compare uses), the means and the minima.
//   node scripts/experiments/summary-statistic.mjs [baselines/detection.db]
// Measured 2026-11-21 on the 48-round collection in docs/results/detection.txt: median over the
// benchmarks 1.52% (median), 3.23% (mean), 2.25% (min); 15, 26 and 23 benchmarks above 2%.
import D from 'better-sqlite3';
import * as ss from 'simple-statistics';
const db = new D(process.argv[2] ?? 'baselines/detection.db', { readonly: true });
const run = db.prepare("select id from run where json_extract(settings_json, '$.detection') = 'A/A' order by rowid desc limit 1").get().id;
const rows = db.prepare("select b.name, m.round, m.side, m.median_seconds med, m.mean_seconds mean, m.min_seconds min from measurement m join benchmark b on b.id=m.benchmark_id where m.run_id=? and m.state='completed'").all(run);
const by = new Map();
for (const r of rows) { const k = r.name; if (!by.has(k)) by.set(k, new Map()); const x = by.get(k); if (!x.has(r.round)) x.set(r.round, {}); x.get(r.round)[r.side] = r; }
const sd = (a) => 100 * 1.4826 * ss.medianAbsoluteDeviation(a);
const res = [];
for (const [name, rounds] of by) {
  const pairs = [...rounds.values()].filter((p) => p.head && p.base);
  if (pairs.length < 10) continue;
  const f = (k) => sd(pairs.map((p) => Math.log(p.head[k] / p.base[k])));
  res.push([name, f('med'), f('mean'), f('min')]);
}
res.sort((a, b) => b[1] - a[1]);
for (const r of res) console.log(r[0].padEnd(40), r.slice(1).map((x) => x.toFixed(2).padStart(6)).join(' '));
const med = (i) => ss.median(res.map((r) => r[i]));
console.log('median over benchmarks: median', med(1).toFixed(2), 'mean', med(2).toFixed(2), 'min', med(3).toFixed(2));
console.log('count >2%:', [1,2,3].map(i => res.filter(r => r[i] > 2).length).join(' '));
