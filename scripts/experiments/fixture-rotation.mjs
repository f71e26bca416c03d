// Experiment for issue 4: does setting up more fixtures per side, and rotating the blocks over
// them, take out the per-process noise that comes from where a fixture lands in memory? Rounds of
// the real paired scheduler (src/bench/rounds.ts) alternate between maxFixtures = 1 and = N, so
// both designs see the same machine. A/A: the base side runs a copy of the build.
//   node scripts/experiments/fixture-rotation.mjs [rounds per design=16] [N=3] [taskTimeMs=68] [filter regexp]
// Measured 2026-11-22 (two runs, 48 rounds per design in all, alternating): median noise 1.82%
// with one fixture, 1.84% with up to three; 16 benchmarks above 2% either way; 13.7 vs 14.1 s a
// round. Not adopted: the rotation was taken out of the worker again in the next commit.
// Prints per benchmark the robust SD (1.4826·MAD) of d = ln(head/base) per round for each design
// and the mean seconds per round; writes the d arrays to .bench-out/fixture-rotation.json.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ss from 'simple-statistics';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dist = (p) => join(root, 'dist', p);
const [count = '16', nArg = '3', taskArg = '68', filter = '.'] = process.argv.slice(2);
const { measureRound } = await import(dist('src/bench/rounds.js'));
const { BUILTIN_SUITE, loadSuite, selectCases } = await import(dist('src/bench/suite.js'));
const { caseName } = await import(dist('src/bench/suite-types.js'));
const { copyBuild } = await import(dist('bench/detection/collect.js'));

const names = selectCases(await loadSuite(BUILTIN_SUITE), 'quick', null)
  .map(caseName)
  .filter((n) => new RegExp(filter).test(n) && !n.includes('/cuda/'));
const copy = copyBuild(root);
const sides = [
  { side: 'base', suite: join(copy, relative(root, BUILTIN_SUITE)), cwd: copy },
  { side: 'head', suite: BUILTIN_SUITE, cwd: root },
];
const designs = [1, Number(nArg)];
const d = designs.map(() => new Map(names.map((n) => [n, []])));
const seconds = designs.map(() => 0);
try {
  for (let r = 0; r < 2 * Number(count); r++) {
    const k = [0, 1, 1, 0][r % 4]; // designs in the order 0 1 1 0 0 1 1 0 …
    const started = Date.now();
    const out = await measureRound({ sides, names, profile: 'quick', taskTimeMs: Number(taskArg), minIterations: 3, timeoutMs: 300_000, isolation: 'paired', maxFixtures: designs[k] }, r + 1);
    seconds[k] += (Date.now() - started) / 1000;
    for (const n of names) {
      const h = out.find((m) => m.name === n && m.side === 'head');
      const b = out.find((m) => m.name === n && m.side === 'base');
      if (h?.medianSeconds > 0 && b?.medianSeconds > 0) d[k].get(n).push(Math.log(h.medianSeconds / b.medianSeconds));
    }
    process.stderr.write(`round ${r + 1}/${2 * Number(count)} (fixtures ${designs[k]})\n`);
  }
} finally {
  rmSync(copy, { recursive: true, force: true });
}
const sd = (xs) => (xs.length > 2 ? 100 * 1.4826 * ss.medianAbsoluteDeviation(xs) : NaN);
const rows = names.map((n) => [n, ...d.map((m) => sd(m.get(n)))]).sort((a, b) => b[1] - a[1]);
console.log(`task time ${taskArg} ms, ${count} rounds per design; robust SD of d in %: fixtures ${designs.join(' vs ')}`);
for (const [n, a, b] of rows) console.log(n.padEnd(40), a.toFixed(2).padStart(7), b.toFixed(2).padStart(7));
for (const [i, k] of designs.entries()) {
  const col = rows.map((r) => r[i + 1]);
  console.log(`fixtures ${k}: median ${ss.median(col).toFixed(2)}%, above 2%: ${col.filter((x) => x > 2).length}, ${(seconds[i] / Number(count)).toFixed(1)} s a round`);
}
mkdirSync(join(root, '.bench-out'), { recursive: true });
writeFileSync(join(root, '.bench-out/fixture-rotation.json'), JSON.stringify({ designs, taskTimeMs: Number(taskArg), secondsPerRound: seconds.map((s) => s / Number(count)), d: d.map((m) => Object.fromEntries(m)) }, null, 1));
