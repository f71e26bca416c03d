// Experiment for issue 4: does the order in which a paired process sets up a benchmark's two
// cases (compare draws it at random) move d = ln(head/base)? A/A on a copy of the build, like the
// detection collector: each fresh process takes the benchmarks in random order, sets each one's
// two cases up in random order, times them in alternating blocks (src/bench/alternate.ts) and
// records d with the side set up first. Prints per benchmark the robust SD of d, the mean d with
// base set up first and with head set up first, and the robust SD left within those two groups.
// With BENCH_GC=1 each process runs a full garbage collection after both setups, before timing.
//   node scripts/experiments/setup-order.mjs [processes=24] [taskTimeMs=48] [filter]
// Measured 2026-11-22 on the 2-core VM, 30 processes at 48 ms, the whole quick suite: only the
// allocation-heavy gridding/ts-objects shows an order effect (mean d −3.4% with base set up first
// against +11.0% with head first for p1m, −9.7% against +4.8% for p250k: the side set up first
// runs slower); median noise over the suite 2.00% with or without the grouping. At 60 ms, 30
// processes, gridding/ts-objects/*,select/ts-push/*: robust SD of d 7.2, 10.3, 4.4, 2.9% without
// and 5.9, 6.8, 3.6, 2.6% with BENCH_GC=1 (p1m, p250k each): a full GC after setup helps some.
// V8 flags reach the processes through the parent (fork passes its execArgv on), e.g.
//   node --single-threaded-gc scripts/experiments/setup-order.mjs 30 48 FILTER
// Measured 2026-11-22, 30 processes each at 48 ms, FILTER = gridding/ts-objects/*,
// matmul/ts-naive/*, ode-ensemble/ts-naive/*, select/native-parallel/p250k, select/ts-push/p1m:
// median robust SD of d over those 8 benchmarks 3.45% with no flag, 3.11% --single-threaded-gc,
// 2.42% --no-concurrent-recompilation --no-concurrent-osr, 3.28% BENCH_GC=1
// --compact-on-every-full-gc, 2.81% --max-semi-space-size=64, 3.25% BENCH_GC=1; one benchmark's
// figure moves between runs of the same setting by as much (gridding/ts-objects/p250k 4–22%), so
// none of them is shown to help: compare's workers run with no V8 flags.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { mean, median, medianAbsoluteDeviation } from 'simple-statistics';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dist = (p) => join(root, 'dist', p);
const { loadSuite, selectCases } = await import(dist('src/bench/suite.js'));
const { caseName } = await import(dist('src/bench/suite-types.js'));
const { alternate } = await import(dist('src/bench/alternate.js'));
const { warmupMsFor } = await import(dist('src/bench/protocol.js'));
const { MAD_TO_SD } = await import(dist('src/stats/default-threshold-pct.js'));
const [processes = '24', taskTimeMs = '48', filter = null, child, baseSuite] = process.argv.slice(2);
const headSuite = dist('kernels/index.js');
const { shuffleInPlace: shuffle } = await import(dist('src/random.js'));

if (child === '--child') {
  let gc = null;
  if (process.env.BENCH_GC === '1') {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc');
  }
  const sides = [
    { side: 'base', cases: selectCases(await loadSuite(baseSuite), 'quick', filter === '-' ? null : filter) },
    { side: 'head', cases: selectCases(await loadSuite(headSuite), 'quick', filter === '-' ? null : filter) },
  ];
  const out = [];
  for (const name of shuffle(sides[0].cases.map(caseName).filter((n) => !n.includes('/cuda/')))) {
    const order = Math.random() < 0.5 ? [0, 1] : [1, 0];
    const prepared = [];
    for (const i of order) prepared[i] = await sides[i].cases.find((c) => caseName(c) === name).setup();
    if (gc !== null) gc();
    const times = await alternate(
      prepared.map((p, i) => ({ side: sides[i].side, run: p.run })),
      { taskTimeMs: Number(taskTimeMs), minIterations: 5, warmupMs: warmupMsFor(Number(taskTimeMs)), warmupIterations: 5 },
    );
    for (const p of prepared) p.teardown?.();
    out.push({ name, first: sides[order[0]].side, d: Math.log(median(times[1].samplesMs) / median(times[0].samplesMs)) });
  }
  process.send(out, () => process.disconnect());
} else {
  const { copyBuild } = await import(dist('bench/detection/collect.js'));
  const copy = copyBuild(root);
  const rows = new Map();
  const t0 = Date.now();
  try {
    for (let p = 0; p < Number(processes); p++) {
      const got = await new Promise((resolve, reject) => {
        const c = fork(fileURLToPath(import.meta.url), [processes, taskTimeMs, filter ?? '-', '--child', join(copy, 'dist/kernels/index.js')], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        c.once('message', resolve);
        c.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`child exited ${code}`))));
      });
      for (const r of got) (rows.get(r.name) ?? rows.set(r.name, []).get(r.name)).push(r);
      process.stderr.write(`\rprocess ${p + 1}/${processes} · ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
  process.stderr.write('\n');
  const rsd = (a) => (a.length < 2 ? NaN : 100 * MAD_TO_SD * medianAbsoluteDeviation(a));
  const pct = (x) => (Number.isFinite(x) ? x.toFixed(2) : '-').padStart(7);
  console.log(`${'benchmark'.padEnd(40)}   sd%  base1st  head1st  within%   n`);
  const summary = [];
  for (const [name, rs] of [...rows].sort()) {
    const d = rs.map((r) => r.d);
    const b = rs.filter((r) => r.first === 'base').map((r) => r.d);
    const h = rs.filter((r) => r.first === 'head').map((r) => r.d);
    const mb = b.length ? median(b) : NaN;
    const mh = h.length ? median(h) : NaN;
    const within = rsd([...b.map((x) => x - mb), ...h.map((x) => x - mh)]);
    summary.push([rsd(d), within]);
    console.log(`${name.padEnd(40)} ${pct(rsd(d))} ${pct(100 * (b.length ? mean(b) : NaN))} ${pct(100 * (h.length ? mean(h) : NaN))} ${pct(within)} ${String(d.length).padStart(3)}`);
  }
  console.log(`median over benchmarks: sd ${median(summary.map((s) => s[0])).toFixed(2)}% · within the setup-order groups ${median(summary.map((s) => s[1])).toFixed(2)}%`);
}
