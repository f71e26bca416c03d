// Experiment for issue 4: how much of a benchmark's per-process noise comes from its fixture
// (where setup's buffers land in memory) rather than from timing? In one process: the spread of
// 16 medians of the same fixture measured again and again, against the spread of 16 fresh
// fixtures' medians, each divided by a reference fixture measured right after it (so drift of
// the machine cancels).
//   node scripts/experiments/fresh-fixtures.mjs NAME [calls per median=40]
// Measured 2026-11-22 on the 2-core VM: select/native-simd/p1m 2.5% same fixture against 6.0%
// fresh; select/native-simd/p250k 1.1% against 3.3%; gridding/native-simd/p250k-g256 1.2% against
// 1.4%; matmul/native-simd/n128 1.7% against 1.5%; select/ts-push/p250k 6.2% against 1.6%.
// Eight reruns later the same day (a noisier machine): fresh fixtures spread more than the same
// one in 4 of 8 for select/native-simd/p1m (e.g. 8.1% vs 5.0%, 3.1% vs 4.4%) and 6 of 8 for
// p250k (e.g. 1.6% vs 0.8%, 1.7% vs 2.3%): a tendency, not a dependable effect.
import { fileURLToPath } from 'node:url';
import { median as med, medianAbsoluteDeviation } from 'simple-statistics';
const dist = (p) => fileURLToPath(new URL(`../../dist/${p}`, import.meta.url));
const { BUILTIN_SUITE, loadSuite, selectCases } = await import(dist('src/bench/suite.js'));
const { caseName } = await import(dist('src/bench/suite-types.js'));
const [name, callsArg = '40'] = process.argv.slice(2);
const c = selectCases(await loadSuite(BUILTIN_SUITE), 'quick', null).find((x) => caseName(x) === name);
if (c === undefined) throw new Error(`no quick benchmark ${name}`);
const K = 16;
const calls = Number(callsArg);
const { MAD_TO_SD } = await import(dist('src/stats/default-threshold-pct.js'));
const rsd = (a) => (100 * MAD_TO_SD * medianAbsoluteDeviation(a)) / med(a);
const timeMed = async (p) => {
  const t = [];
  for (let i = 0; i < calls; i++) {
    const s = performance.now();
    await p.run();
    t.push(performance.now() - s);
  }
  return med(t);
};
const warm = async (p) => {
  for (let i = 0; i < 10; i++) await p.run();
  return p;
};
const one = await warm(await c.setup());
const same = [];
for (let k = 0; k < K; k++) same.push(await timeMed(one));
one.teardown?.();
const ref = await warm(await c.setup());
const ratios = [];
for (let k = 0; k < K; k++) {
  const fresh = await warm(await c.setup());
  ratios.push((await timeMed(fresh)) / (await timeMed(ref)));
  fresh.teardown?.();
}
console.log(`${name}: same fixture ${rsd(same).toFixed(2)}% · fresh fixtures ${rsd(ratios).toFixed(2)}% (robust SD of ${K} medians of ${calls} calls)`);
