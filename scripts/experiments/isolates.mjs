// Experiment for issue 4: would the two sides of a paired process be steadier each in its own V8
// isolate (a worker thread: its own heap, garbage collector and compiled code) than both in the
// main thread's one heap? The main thread alternates blocks of calls between the two threads
// exactly as src/bench/alternate.ts alternates them in one thread (warm-up one call a side in
// turn, then blocks A B B A … of blockMsFor(task time), each side to its task time, ≥ 4 blocks).
// Processes of the two designs alternate (order random in each pair); A/A on a copy of the build.
//   node scripts/experiments/isolates.mjs [pairs=20] [taskTimeMs=88] [filter]
// Prints per benchmark the robust SD of d = ln(head/base) over processes for each design.
// Measured 2026-11-22 on the 2-core VM, 24 pairs at 50 ms a side, the 12 benchmarks named in the
// README's noise discussion: median robust SD of d 2.53% with both sides in the main thread against
// 9.72% with a thread per side (matmul/ts-naive/n256 1.9% → 12.9%, select/native-simd/p1m 2.3% →
// 20.1%; only gridding/ts-objects/p1m 8.2% → 4.5% and select/ts-push/p1m 5.5% → 4.9% gained).
// Two threads handing the CPU to each other every block share less of the process's state than
// one thread does. Not adopted.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { median, medianAbsoluteDeviation } from 'simple-statistics';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dist = (p) => join(root, 'dist', p);
const { loadSuite, selectCases } = await import(dist('src/bench/suite.js'));
const { caseName } = await import(dist('src/bench/suite-types.js'));
const { alternate, blockMsFor } = await import(dist('src/bench/alternate.js'));
const { warmupMsFor, WARMUP_CALLS } = await import(dist('src/bench/protocol.js'));
const { shuffleInPlace: shuffle } = await import(dist('src/random.js'));
const headSuite = dist('kernels/index.js');

async function timeOne(run) {
  const start = performance.now();
  const r = run();
  if (typeof r?.then === 'function') await r;
  return performance.now() - start;
}

if (!isMainThread) {
  // One side in its own isolate: set up, warm-up calls and blocks on request.
  const cases = selectCases(await loadSuite(workerData.suite), 'quick', null);
  let prepared = null;
  parentPort.on('message', async (m) => {
    if (m.type === 'setup') {
      prepared = await cases.find((c) => caseName(c) === m.name).setup();
      parentPort.postMessage({});
    } else if (m.type === 'call') {
      parentPort.postMessage({ ms: await timeOne(prepared.run) });
    } else if (m.type === 'block') {
      const samples = [];
      const start = performance.now();
      do samples.push(await timeOne(prepared.run));
      while (performance.now() - start < m.ms);
      parentPort.postMessage({ samples, spent: performance.now() - start });
    } else if (m.type === 'teardown') {
      prepared?.teardown?.();
      prepared = null;
      parentPort.postMessage({});
    }
  });
} else {
  const [pairs = '20', taskTimeArg = '88', filter = null, child, design, baseSuite] = process.argv.slice(2);
  const taskTimeMs = Number(taskTimeArg);
  if (child === '--child') {
    const sel = filter === '-' ? null : filter;
    const names = shuffle(selectCases(await loadSuite(headSuite), 'quick', sel).map(caseName).filter((n) => !n.includes('/cuda/')));
    const out = [];
    if (design === 'shared') {
      const sides = [
        { side: 'base', cases: selectCases(await loadSuite(baseSuite), 'quick', sel) },
        { side: 'head', cases: selectCases(await loadSuite(headSuite), 'quick', sel) },
      ];
      for (const name of names) {
        const prepared = [];
        for (const i of Math.random() < 0.5 ? [0, 1] : [1, 0]) prepared[i] = await sides[i].cases.find((c) => caseName(c) === name).setup();
        const times = await alternate(
          prepared.map((p, i) => ({ side: sides[i].side, run: p.run })),
          { taskTimeMs, minIterations: 3, warmupMs: warmupMsFor(taskTimeMs), warmupIterations: WARMUP_CALLS },
        );
        for (const p of prepared) p.teardown?.();
        out.push({ name, d: Math.log(median(times[1].samplesMs) / median(times[0].samplesMs)) });
      }
    } else {
      const threads = [baseSuite, headSuite].map((suite) => new Worker(fileURLToPath(import.meta.url), { workerData: { suite } }));
      const ask = (t, m) => new Promise((resolve) => { t.once('message', resolve); t.postMessage(m); });
      for (const name of names) {
        for (const i of Math.random() < 0.5 ? [0, 1] : [1, 0]) await ask(threads[i], { type: 'setup', name });
        const warm = [{ ms: 0, calls: 0 }, { ms: 0, calls: 0 }];
        const warmupMs = warmupMsFor(taskTimeMs);
        while (warm.some((w) => w.ms < warmupMs || w.calls < WARMUP_CALLS)) {
          for (const [i, w] of warm.entries()) {
            if (w.ms >= warmupMs && w.calls >= WARMUP_CALLS) continue;
            w.ms += (await ask(threads[i], { type: 'call' })).ms;
            w.calls++;
          }
        }
        const side = [0, 1].map(() => ({ samples: [], spent: 0, blocks: 0 }));
        let order = Math.random() < 0.5 ? [0, 1] : [1, 0];
        const more = (s) => s.spent < taskTimeMs || s.samples.length < 3 || s.blocks < 4;
        while (side.some(more)) {
          for (const i of order) {
            const r = await ask(threads[i], { type: 'block', ms: blockMsFor(taskTimeMs) });
            side[i].samples.push(...r.samples);
            side[i].spent += r.spent;
            side[i].blocks++;
          }
          order = order.reverse();
        }
        for (const t of threads) await ask(t, { type: 'teardown' });
        out.push({ name, d: Math.log(median(side[1].samples) / median(side[0].samples)) });
      }
      await Promise.all(threads.map((t) => t.terminate()));
    }
    process.send(out, () => process.disconnect());
  } else {
    const { copyBuild } = await import(dist('bench/detection/collect.js'));
    const { MAD_TO_SD } = await import(dist('src/stats/default-threshold-pct.js'));
    const copy = copyBuild(root);
    const rows = { shared: new Map(), threads: new Map() };
    const seconds = { shared: 0, threads: 0 };
    try {
      for (let p = 0; p < Number(pairs); p++) {
        for (const design of shuffle(['shared', 'threads'])) {
          const t = Date.now();
          const got = await new Promise((resolve, reject) => {
            const c = fork(fileURLToPath(import.meta.url), [pairs, taskTimeArg, filter ?? '-', '--child', design, join(copy, 'dist/kernels/index.js')], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
            c.once('message', resolve);
            c.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`child exited ${code}`))));
          });
          seconds[design] += (Date.now() - t) / 1000;
          for (const r of got) (rows[design].get(r.name) ?? rows[design].set(r.name, []).get(r.name)).push(r.d);
        }
        process.stderr.write(`\rpair ${p + 1}/${pairs}`);
      }
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
    process.stderr.write('\n');
    const rsd = (a) => 100 * MAD_TO_SD * medianAbsoluteDeviation(a);
    const beyond = (a) => a.filter((x) => Math.abs(x) > Math.log(1.1)).length;
    console.log(`${'benchmark'.padEnd(40)} shared sd% (>10%)  threads sd% (>10%)`);
    const s = { shared: [], threads: [] };
    for (const name of [...rows.shared.keys()].sort()) {
      const a = rows.shared.get(name);
      const b = rows.threads.get(name);
      s.shared.push(rsd(a));
      s.threads.push(rsd(b));
      console.log(`${name.padEnd(40)} ${rsd(a).toFixed(2).padStart(7)} (${beyond(a)})  ${rsd(b).toFixed(2).padStart(9)} (${beyond(b)})`);
    }
    console.log(`median over benchmarks: shared ${median(s.shared).toFixed(2)}%, threads ${median(s.threads).toFixed(2)}%; seconds per process ${(seconds.shared / Number(pairs)).toFixed(1)} vs ${(seconds.threads / Number(pairs)).toFixed(1)}`);
  }
}
