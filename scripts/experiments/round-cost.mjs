// Experiment for issue 4: where does a paired round's time go? In fresh processes that do what a
// compare worker does (both revisions loaded, A/A on a copy of the build), per benchmark: the
// setup of both cases, the warm-up and the timed calls (inside src/bench/alternate.ts), the
// teardown, and the calls timed per side. The benchmarks go in random order, as in a worker.
//   node scripts/experiments/round-cost.mjs [processes=3] [taskTimeMs=48]
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { median } from 'simple-statistics';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dist = (p) => join(root, 'dist', p);
const { loadSuite, selectCases } = await import(dist('src/bench/suite.js'));
const { caseName } = await import(dist('src/bench/suite-types.js'));
const { alternate } = await import(dist('src/bench/alternate.js'));
// Before WARMUP_CALLS existed, the worker warmed up 5 calls at least.
const { WARMUP_CALLS = 5, warmupMsFor } = await import(dist('src/bench/protocol.js'));
const [processes = '3', taskTimeMs = '48', child, baseSuite] = process.argv.slice(2);

if (child === '--child') {
  const t0 = performance.now();
  const sides = [await loadSuite(baseSuite), await loadSuite(dist('kernels/index.js'))].map((s) => selectCases(s, 'quick', null));
  const loadMs = performance.now() - t0;
  const out = [];
  // In random order, as a worker takes them (fixtures cached in the process are hit or missed alike).
  for (const c of [...sides[0]].sort(() => Math.random() - 0.5)) {
    const name = caseName(c);
    if (name.includes('/cuda/')) continue;
    let t = performance.now();
    const prepared = [await c.setup(), await sides[1].find((x) => caseName(x) === name).setup()];
    const setupMs = performance.now() - t;
    t = performance.now();
    const times = await alternate(prepared.map((p, i) => ({ side: i ? 'head' : 'base', run: p.run })), { taskTimeMs: Number(taskTimeMs), minIterations: 3, warmupMs: warmupMsFor(Number(taskTimeMs)), warmupIterations: WARMUP_CALLS });
    const alternateMs = performance.now() - t;
    const timedMs = times.reduce((a, s) => a + s.samplesMs.reduce((x, y) => x + y, 0), 0);
    t = performance.now();
    for (const p of prepared) p.teardown?.();
    const teardownMs = performance.now() - t;
    out.push({ name, setupMs, warmMs: alternateMs - timedMs, timedMs, teardownMs, calls: times[0].samplesMs.length, callMs: median(times[0].samplesMs) });
  }
  process.send({ loadMs, totalMs: performance.now() - t0, out }, () => process.disconnect());
} else {
  const { copyBuild } = await import(dist('bench/detection/collect.js'));
  const copy = copyBuild(root);
  const runs = [];
  try {
    for (let p = 0; p < Number(processes); p++) {
      const t = performance.now();
      const got = await new Promise((resolve, reject) => {
        const c = fork(fileURLToPath(import.meta.url), [processes, taskTimeMs, '--child', join(copy, 'dist/kernels/index.js')], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        c.once('message', resolve);
        c.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`child exited ${code}`))));
      });
      runs.push({ ...got, wallMs: performance.now() - t });
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
  const m = (f) => median(runs.map(f));
  console.log(`per process (median of ${runs.length}): wall ${m((r) => r.wallMs).toFixed(0)} ms, in the child ${m((r) => r.totalMs).toFixed(0)} ms, loading both suites ${m((r) => r.loadMs).toFixed(0)} ms`);
  console.log(`${'benchmark'.padEnd(40)}  setup   warm  timed  teardown  calls  ms/call`);
  const names = runs[0].out.map((o) => o.name).sort();
  const tot = { setupMs: 0, warmMs: 0, timedMs: 0, teardownMs: 0 };
  for (const name of names) {
    const f = (key) => m((r) => r.out.find((o) => o.name === name)[key]);
    for (const key of Object.keys(tot)) tot[key] += f(key);
    console.log(`${name.padEnd(40)} ${f('setupMs').toFixed(0).padStart(6)} ${f('warmMs').toFixed(0).padStart(6)} ${f('timedMs').toFixed(0).padStart(6)} ${f('teardownMs').toFixed(0).padStart(9)} ${f('calls').toFixed(0).padStart(6)} ${f('callMs').toFixed(2).padStart(8)}`);
  }
  console.log(`sum over benchmarks (ms): setup ${tot.setupMs.toFixed(0)}, warm-up ${tot.warmMs.toFixed(0)}, timed ${tot.timedMs.toFixed(0)}, teardown ${tot.teardownMs.toFixed(0)}`);
}
