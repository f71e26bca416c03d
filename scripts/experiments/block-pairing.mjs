// Experiment for issue 4: is a round's d = ln(head/base) steadier as the ratio of the two sides'
// medians (what compare used first) or from the ABBA blocks' neighbours (block k of one side ran
// right next to block k of the other)? Both estimators come from the SAME paired processes, so the
// comparison is side by side. A/A: the base side runs a copy of the build, as the detection
// benchmark does. Each process measures every quick benchmark once, in random order, exactly as a
// paired compare worker does (src/bench/alternate.ts with compare's warm-up and block sizes).
//   node scripts/experiments/block-pairing.mjs [processes=24] [taskTimeMs=68] [filter regexp]
// Prints per benchmark the robust SD (1.4826·MAD) of d over processes for each estimator, and the
// count of processes with |d| > 5%.
import { fork } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ss from 'simple-statistics';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dist = (p) => join(root, 'dist', p);
const [count = '24', taskArg = '68', filter = '.', child] = process.argv.slice(2);
const taskTimeMs = Number(taskArg);

/** Estimators of d from the two sides' timed calls and block sizes. */
function estimators(a, b) {
  const blocksOf = (t) => {
    const out = [];
    let i = 0;
    for (const n of t.blockSizes) out.push(t.samplesMs.slice(i, (i += n)));
    return out;
  };
  const A = blocksOf(a);
  const B = blocksOf(b);
  const k = Math.min(A.length, B.length);
  const pairs = Array.from({ length: k }, (_, i) => Math.log(ss.median(B[i]) / ss.median(A[i])));
  const walsh = [];
  for (let i = 0; i < k; i++) for (let j = i; j < k; j++) walsh.push((pairs[i] + pairs[j]) / 2);
  return {
    ratioOfMedians: Math.log(ss.median(b.samplesMs) / ss.median(a.samplesMs)),
    pairMedian: ss.median(pairs),
    pairMean: ss.mean(pairs),
    pairHL: ss.median(walsh),
    blocks: k,
  };
}

if (child === '--child') {
  const { loadSuite, selectCases } = await import(dist('src/bench/suite.js'));
  const { caseName } = await import(dist('src/bench/suite-types.js'));
  const { alternate } = await import(dist('src/bench/alternate.js'));
  const { warmupMsFor } = await import(dist('src/bench/protocol.js'));
  const [baseSuite, headSuite] = process.argv.slice(6);
  const pick = async (path) => new Map(selectCases(await loadSuite(path), 'quick', null).map((c) => [caseName(c), c]));
  const base = await pick(baseSuite);
  const head = await pick(headSuite);
  const names = [...head.keys()].filter((n) => new RegExp(filter).test(n) && !n.includes('/cuda/'));
  for (let i = names.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [names[i], names[j]] = [names[j], names[i]];
  }
  for (const name of names) {
    const order = Math.random() < 0.5 ? [base, head] : [head, base];
    const prepared = new Map();
    for (const m of order) prepared.set(m, await m.get(name).setup());
    const [a, b] = await alternate(
      [
        { side: 'base', run: prepared.get(base).run },
        { side: 'head', run: prepared.get(head).run },
      ],
      { taskTimeMs, minIterations: 3, warmupMs: warmupMsFor(taskTimeMs), warmupIterations: 5 },
    );
    for (const p of prepared.values()) p.teardown?.();
    process.send({ name, ...estimators(a, b) });
  }
  process.exit(0);
}

const { copyBuild } = await import(dist('bench/detection/collect.js'));
const copy = copyBuild(root);
const headSuite = dist('kernels/index.js');
const baseSuite = join(copy, relative(root, headSuite));
const rows = new Map();
try {
  for (let r = 1; r <= Number(count); r++) {
    await new Promise((done, fail) => {
      const w = fork(fileURLToPath(import.meta.url), [count, taskArg, filter, '--child', baseSuite, headSuite], { cwd: root });
      w.on('message', (m) => {
        if (!rows.has(m.name)) rows.set(m.name, []);
        rows.get(m.name).push(m);
      });
      w.on('exit', (code) => (code === 0 ? done() : fail(new Error(`worker exited ${code}`))));
    });
    process.stderr.write(`process ${r}/${count}\n`);
  }
} finally {
  rmSync(copy, { recursive: true, force: true });
}
const keys = ['ratioOfMedians', 'pairMedian', 'pairMean', 'pairHL'];
const sd = (xs) => 100 * 1.4826 * ss.medianAbsoluteDeviation(xs);
const table = [...rows].map(([name, ms]) => [name, ms[0].blocks, ...keys.map((k) => sd(ms.map((m) => m[k]))), ...keys.map((k) => ms.filter((m) => Math.abs(m[k]) > Math.log(1.05)).length)]);
table.sort((x, y) => y[2] - x[2]);
console.log(`task time ${taskTimeMs} ms, ${count} processes; robust SD of d in % (${keys.join(', ')}) · processes with |d| > 5%`);
for (const t of table) console.log(t[0].padEnd(40), String(t[1]).padStart(4), t.slice(2, 6).map((x) => x.toFixed(2).padStart(6)).join(' '), ' ·', t.slice(6).map((x) => String(x).padStart(3)).join(''));
const col = (i) => table.map((t) => t[i]);
console.log('median over benchmarks'.padEnd(45), [2, 3, 4, 5].map((i) => ss.median(col(i)).toFixed(2).padStart(6)).join(' '));
console.log('benchmarks above 2%'.padEnd(45), [2, 3, 4, 5].map((i) => String(col(i).filter((x) => x > 2).length).padStart(6)).join(' '));
