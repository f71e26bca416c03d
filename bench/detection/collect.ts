/**
 * Collects real A/A rounds for the detection benchmark: the same build on both sides, measured
 * exactly as `compare` measures (fresh process per side and round, side order random), stored in
 * SQLite as a compare run so it can be replayed later (`--replay DB`).
 */
import { randomUUID } from 'node:crypto';
import { currentRevision } from '../../src/bench/revision.js';
import { measureRound, taskTimeFor, withoutSkipped, type MeasuredProcess } from '../../src/bench/rounds.js';
import { measurementsOf } from '../../src/bench/measure-here.js';
import { caseIdentity, noVerdict, summariseSide } from '../../src/bench/summarise.js';
import { BUILTIN_SUITE, loadSuite, selectCases } from '../../src/bench/suite.js';
import { caseName, type Profile } from '../../src/bench/suite-types.js';
import { detectTestbed } from '../../src/bench/testbed.js';
import { runtimeProbe } from '../../src/bench/probe.js';
import type { BenchmarkResult, RunReport } from '../../src/model.js';
import { summarise } from '../../src/report/summary.js';
import { openStore } from '../../src/store/open.js';
import { saveRun } from '../../src/store/runs.js';

/** What to collect. */
export interface CollectOptions {
  rounds: number;
  db: string;
  cwd: string;
  profile: Profile;
  filter: string | null;
  /** The compare settings whose task time is reproduced: time budget and max rounds. */
  timeBudget: number;
  maxRounds: number;
  suite: string | null;
  onRound?: (round: number, seconds: number) => void;
}

/** Measures `rounds` A/A rounds, stores them as one run and returns its id. */
export async function collectAaRounds(o: CollectOptions): Promise<string> {
  const suitePath = o.suite ?? BUILTIN_SUITE;
  const cases = selectCases(await loadSuite(suitePath), o.profile, o.filter);
  const names = cases.map(caseName);
  const taskTimeMs = taskTimeFor(o.timeBudget, o.maxRounds, 2, names.length);
  const startedAt = new Date().toISOString();
  const started = Date.now();
  const measured: MeasuredProcess[] = [];
  for (let round = 1; round <= o.rounds; round++) {
    const sides = [
      { side: 'base' as const, suite: suitePath, cwd: o.cwd },
      { side: 'head' as const, suite: suitePath, cwd: o.cwd },
    ];
    measured.push(...(await measureRound({ sides, names: withoutSkipped(names, measured), profile: o.profile, taskTimeMs, minIterations: 3, timeoutMs: Math.max(300_000, 20 * taskTimeMs) }, round)));
    o.onRound?.(round, (Date.now() - started) / 1000);
  }
  const measuringSeconds = (Date.now() - started) / 1000;
  const benchmarks: BenchmarkResult[] = cases.map((c) => {
    const name = caseName(c);
    const measurements = measurementsOf(measured, name);
    return {
      ...caseIdentity(c),
      ...summariseSide(measurements, 'head', c.work),
      baselineMedianSeconds: summariseSide(measurements, 'base', c.work).medianSeconds,
      measurements,
      verdict: noVerdict('A/A rounds collected for the detection benchmark', 'aa-collection'),
    };
  });
  const revision = currentRevision(o.cwd);
  const report: RunReport = {
    schema: 'benchgate.run/v1',
    id: randomUUID(),
    kind: 'compare',
    project: 'benchgate-detection',
    profile: o.profile,
    startedAt,
    finishedAt: new Date().toISOString(),
    testbed: detectTestbed(await runtimeProbe()),
    head: revision,
    base: revision,
    settings: { detection: 'A/A', rounds: o.rounds, taskTimeMs, measuringSeconds, timeBudget: o.timeBudget, maxRounds: o.maxRounds, filter: o.filter, interleaving: 'fresh process per side and round, side order random' },
    benchmarks,
    summary: summarise(benchmarks),
  };
  const db = openStore(o.db);
  try {
    saveRun(db, report);
  } finally {
    db.close();
  }
  return report.id;
}
