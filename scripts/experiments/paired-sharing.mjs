// Experiment for issue 4: in paired mode (both revisions in one process, alternating blocks), does
// a process per benchmark still beat one process for the whole suite? Rounds of the two designs
// alternate (order random), A/A on a copy of the build, the quick suite, the same task time.
//   node scripts/experiments/paired-sharing.mjs [rounds=12] [taskTimeMs=25] [sharedTaskTimeMs=taskTimeMs]
// Prints per benchmark the robust SD of d = ln(head/base) over rounds, per design, and seconds per round.
// Measured 2026-11-21 on the 2-core VM (another job's load on it), 12 rounds:
//   25 ms both:                 per benchmark 1.38% median, 16.9 s a round; shared 1.75%, 9.7 s
//   45 ms vs 125 ms shared:     per benchmark 1.35%, 16.8 s a round;        shared 1.07%, 17.1 s
// The second, at equal wall time, made the shared process compare's default.
import { fork } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, medianAbsoluteDeviation } from 'simple-statistics';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { measureRound, WORKER_SCRIPT } = await import(join(root, 'dist/src/bench/rounds.js'));
const { copyBuild } = await import(join(root, 'dist/bench/detection/collect.js'));
const { loadSuite, selectCases } = await import(join(root, 'dist/src/bench/suite.js'));
const [rounds = 12, taskTimeMs = 25, sharedTaskTimeMs = taskTimeMs] = process.argv.slice(2).map(Number);
const head = join(root, 'dist/kernels/index.js');
const copy = copyBuild(root);
const base = join(copy, 'dist/kernels/index.js');
const names = selectCases(await loadSuite(head), 'quick', null).map((c) => `${c.kernel}/${c.implementation}/${c.fixture}`).filter((n) => !n.includes('/cuda/'));
const shuffle = (a) => { for (let i = a.length - 1; i > 0; i--) { const j = Math.floor(Math.random() * (i + 1)); [a[i], a[j]] = [a[j], a[i]]; } return a; };

function shared() {
  return new Promise((resolve, reject) => {
    const sides = shuffle([{ side: 'base', suite: base }, { side: 'head', suite: head }]);
    const child = fork(WORKER_SCRIPT, [], { cwd: root, stdio: ['ignore', 'ignore', 'inherit', 'ipc'], serialization: 'advanced' });
    const out = [];
    child.on('message', (m) => m.type === 'result' && out.push(m));
    child.on('exit', () => resolve(out));
    child.on('error', reject);
    child.send({ sides, profile: 'quick', names: shuffle([...names]), taskTimeMs: sharedTaskTimeMs, minIterations: 3 });
  });
}
// A paired process per benchmark: measureRound with one benchmark at a time.
async function perBenchmark() {
  const out = [];
  for (const name of shuffle([...names])) {
    out.push(...(await measureRound({ sides: [{ side: 'base', suite: base, cwd: copy }, { side: 'head', suite: head, cwd: root }], names: [name], profile: 'quick', taskTimeMs, minIterations: 3, timeoutMs: 300000, isolation: 'paired' }, 1)));
  }
  return out;
}

const d = { perBenchmark: new Map(), shared: new Map() };
const secs = { perBenchmark: 0, shared: 0 };
for (let r = 0; r < rounds; r++) {
  for (const design of shuffle(['perBenchmark', 'shared'])) {
    const t = performance.now();
    const out = design === 'shared' ? await shared() : await perBenchmark();
    secs[design] += (performance.now() - t) / 1000;
    for (const n of names) {
      const h = out.find((m) => m.name === n && m.side === 'head')?.medianSeconds;
      const b = out.find((m) => m.name === n && m.side === 'base')?.medianSeconds;
      if (h > 0 && b > 0) d[design].set(n, [...(d[design].get(n) ?? []), Math.log(h / b)]);
    }
  }
  process.stderr.write(`round ${r + 1}/${rounds}\n`);
}
rmSync(copy, { recursive: true, force: true });
const sd = (x) => (x && x.length >= 3 ? 100 * 1.4826 * medianAbsoluteDeviation(x) : NaN);
const rows = names.map((n) => [n, sd(d.perBenchmark.get(n)), sd(d.shared.get(n))]);
for (const [n, a, b] of rows) console.log(`${n.padEnd(42)} ${a.toFixed(2).padStart(6)}% ${b.toFixed(2).padStart(6)}%`);
console.log(`median robust SD: process per benchmark ${median(rows.map((r) => r[1])).toFixed(2)}%, one process per round ${median(rows.map((r) => r[2])).toFixed(2)}%`);
console.log(`seconds per round: process per benchmark ${(secs.perBenchmark / rounds).toFixed(1)}, one process per round ${(secs.shared / rounds).toFixed(1)} (task time ${taskTimeMs} ms, shared ${sharedTaskTimeMs} ms)`);
