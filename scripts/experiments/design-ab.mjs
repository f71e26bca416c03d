// Experiment for issue 4: round designs of several builds side by side, on the same machine at the
// same time. Rounds of the detection benchmark's A/A collection (src/bench/rounds.js and the sizing
// of src/pipeline/compare-run.js, each build its own) alternate between this build and the others,
// in random order within each set, and each build's rounds are stored as its own A/A collection,
// so that all can be replayed with the same rule:
//   node scripts/experiments/design-ab.mjs OTHER_ROOT[,OTHER_ROOT…] [rounds=48] [db=/tmp/design-ab.db]
//   npm run bench:detection -- --replay DB --run ID        (the run ids are printed at the end)
// An OTHER_ROOT is another build of benchgate (e.g. a copy of an earlier one's package.json, dist,
// native/build and node_modules, as bench/detection/collect.ts copyBuild makes); OTHER_ROOT@N sizes
// that build for N rounds at most instead of 30 (".@40": this build so).
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const [otherArg, roundsArg = '48', dbArg = '/tmp/design-ab.db'] = process.argv.slice(2);
if (otherArg === undefined) throw new Error('usage: design-ab.mjs OTHER_ROOT [rounds] [db]');
const rounds = Number(roundsArg);
const here = (p) => import(join(root, 'dist', p));
const { measurementsOf } = await here('src/bench/measure-here.js');
const { caseIdentity, noVerdict, summariseSide } = await here('src/bench/summarise.js');
const { detectTestbed } = await here('src/bench/testbed.js');
const { runtimeProbe } = await here('src/bench/probe.js');
const { currentRevision } = await here('src/bench/revision.js');
const { summarise } = await here('src/report/summary.js');
const { openStore } = await here('src/store/open.js');
const { saveRun } = await here('src/store/runs.js');

/** One build's way of measuring: its own scheduler, worker, sizing and kernels. */
async function design(label, buildRoot, maxRounds = 30) {
  const load = (p) => import(join(buildRoot, 'dist', p));
  const { measureRound, withoutSkipped } = await load('src/bench/rounds.js');
  const { planRounds } = await load('src/pipeline/compare-run.js');
  const { copyBuild } = await load('bench/detection/collect.js');
  const { loadSuite, selectCases } = await load('src/bench/suite.js');
  const { caseName } = await load('src/bench/suite-types.js');
  const suitePath = join(buildRoot, 'dist/kernels/index.js');
  const cases = selectCases(await loadSuite(suitePath), 'quick', null);
  const names = cases.map(caseName);
  const plan = planRounds({ timeBudget: 300, alpha: 0.01, minRounds: 6, maxRounds, isolation: 'paired' }, names.length, 0);
  const copy = copyBuild(buildRoot);
  const d = { label, buildRoot, maxRounds, copy, cases, names, plan, taskTimeMs: plan.taskTimeMs, measured: [], seconds: 0, startedAt: new Date().toISOString() };
  d.round = async (round) => {
    const sides = [
      { side: 'base', suite: join(copy, 'dist/kernels/index.js'), cwd: copy },
      { side: 'head', suite: suitePath, cwd: buildRoot },
    ];
    const started = Date.now();
    d.measured.push(...(await measureRound({ sides, names: withoutSkipped(names, d.measured), profile: 'quick', taskTimeMs: d.taskTimeMs, minIterations: 3, timeoutMs: 300_000, isolation: 'paired' }, round)));
    d.seconds += (Date.now() - started) / 1000;
    const family = withoutSkipped(names, d.measured).length;
    // A build whose planRounds re-sizes after every round before the first look, or an earlier one that re-sized after round 1 only.
    const after = plan.afterRound !== undefined ? plan.afterRound(round, family, d.seconds, d.measured) : round === 1 ? plan.afterFirstRound(family, 0, d.seconds) : null;
    if (after !== null) d.taskTimeMs = after.taskTimeMs;
  };
  return d;
}

// OTHER_ROOT@N: that build sized for N rounds at most instead of 30 ('.@40': this build so).
const designs = [await design('this build', root)];
for (const other of otherArg.split(',')) {
  const [path, maxRounds = '30'] = other.split('@');
  designs.push(await design(other, resolve(path), Number(maxRounds)));
}
const shuffled = () => [...designs].sort(() => Math.random() - 0.5);
const ids = [];
try {
  for (let round = 1; round <= rounds; round++) {
    for (const d of shuffled()) await d.round(round);
    process.stderr.write(`\rround ${round}/${rounds} · ${designs.map((d) => `${d.label} ${d.seconds.toFixed(0)} s`).join(' · ')}`);
  }
  process.stderr.write('\n');
  const testbed = detectTestbed(await runtimeProbe());
  const revision = currentRevision(root);
  const db = openStore(dbArg);
  try {
    for (const d of designs) {
      const benchmarks = d.cases.map((c) => {
        const measurements = measurementsOf(d.measured, d.names[d.cases.indexOf(c)]);
        return {
          ...caseIdentity(c),
          ...summariseSide(measurements, 'head', c.work),
          baselineMedianSeconds: summariseSide(measurements, 'base', c.work).medianSeconds,
          measurements,
          verdict: noVerdict(`A/A rounds collected by scripts/experiments/design-ab.mjs (${d.label})`, 'aa-collection'),
        };
      });
      const id = randomUUID();
      const settings = { detection: 'A/A', design: d.label, buildRoot: d.buildRoot, maxRounds: d.maxRounds, rounds, taskTimeMs: d.taskTimeMs, firstRoundTaskTimeMs: d.plan.taskTimeMs, measuringSeconds: d.seconds, timeBudget: 300, isolation: 'paired', interleaving: 'alternating blocks in one process per round', baseCopy: true };
      saveRun(db, { schema: 'benchgate.run/v1', id, kind: 'compare', project: 'benchgate-detection', profile: 'quick', startedAt: d.startedAt, finishedAt: new Date().toISOString(), testbed, head: revision, base: revision, settings, benchmarks, summary: summarise(benchmarks) });
      ids.push(id);
      console.log(`${d.label} (${d.buildRoot}): run ${id}, ${d.seconds.toFixed(0)} s for ${rounds} rounds, task time ${d.taskTimeMs.toFixed(1)} ms at the end`);
    }
  } finally {
    db.close();
  }
} finally {
  for (const d of designs) rmSync(d.copy, { recursive: true, force: true });
}
console.log(`replay each: npm run bench:detection -- --replay ${dbArg} --run ID, ID one of ${ids.join(', ')}`);
