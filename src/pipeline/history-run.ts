/**
 * The `run` pipeline: discover the suite, measure it in rounds of fresh processes, judge each
 * benchmark against the history of the same testbed, and store the run in one transaction.
 * The CLI and the GitHub Action both call `historyRun`.
 */
import { randomUUID } from 'node:crypto';
import { median } from 'simple-statistics';
import type { Config } from '../config.js';
import type { BenchmarkResult, RunReport, Verdict } from '../model.js';
import { currentRevision } from '../bench/revision.js';
import { measureRounds, taskTimeFor, type ProgressEvent } from '../bench/rounds.js';
import { completedMedians, summariseSide } from '../bench/summarise.js';
import { loadSuite, selectCases } from '../bench/suite.js';
import { caseName } from '../bench/suite-types.js';
import { detectTestbed } from '../bench/testbed.js';
import { runtimeProbe } from '../bench/probe.js';
import { historyVerdict } from '../stats/history-verdict.js';
import { openStore } from '../store/open.js';
import { historyFor } from '../store/history.js';
import { saveRun } from '../store/runs.js';
import { markSeriesStale } from '../store/series.js';
import { DEFAULT_CHANGE_POINTS, recomputeStale } from './change-points.js';
import { summarise } from '../report/summary.js';
import { projectName } from './project.js';

/** How many earlier runs a history verdict looks at. */
const HISTORY_DEPTH = 20;

/** Measures the suite and stores the run; returns the report. */
export async function historyRun(config: Config, cwd: string, onProgress?: (e: ProgressEvent & { rounds: number }) => void): Promise<RunReport> {
  const startedAt = new Date().toISOString();
  const suite = await loadSuite(config.suite);
  const cases = selectCases(suite, config.profile, config.filter);
  // Open (and check) the database before minutes of measuring, so a bad --db fails fast.
  const db = openStore(config.db);
  try {
    const project = config.project ?? projectName(cwd);
    const testbed = detectTestbed(await runtimeProbe());
    const names = cases.map(caseName);
    const taskTimeMs = taskTimeFor(config.timeBudget, config.rounds, 1, names.length);
    const measured = await measureRounds(
      {
        sides: [{ side: 'head', suite: config.suite, cwd }],
        names,
        profile: config.profile,
        taskTimeMs,
        minIterations: 3,
        timeoutMs: Math.max(300_000, 20 * taskTimeMs),
        onProgress: onProgress && ((e) => onProgress({ ...e, rounds: config.rounds })),
      },
      config.rounds,
    );
    const benchmarks: BenchmarkResult[] = cases.map((c) => {
      const name = caseName(c);
      const measurements = measured.filter((m) => m.name === name).map(({ name: _n, ...m }) => m);
      const figures = summariseSide(measurements, 'head', c.work);
      const history = historyFor(db, { project, testbedKey: testbed.key, benchmark: name, fixtureChecksum: c.fixtureChecksum, limit: HISTORY_DEPTH });
      const verdict: Verdict =
        figures.state === 'completed'
          ? historyVerdict(completedMedians(measurements, 'head'), history.map((h) => h.medians), { thresholdPct: config.threshold ?? undefined })
          : { verdict: 'inconclusive', method: 'none', changePct: null, ciLowPct: null, ciHighPct: null, pValue: null, thresholdPct: null, reason: `${figures.state}: ${figures.reason}`, details: {} };
      return {
        name,
        kernel: c.kernel,
        implementation: c.implementation,
        fixture: c.fixture,
        fixtureChecksum: c.fixtureChecksum,
        work: c.work,
        ...figures,
        baselineMedianSeconds: history.length > 0 ? median(history.map((h) => median(h.medians))) : null,
        measurements,
        verdict,
      };
    });
    const report: RunReport = {
      schema: 'benchgate.run/v1',
      id: randomUUID(),
      kind: 'history',
      project,
      profile: config.profile,
      startedAt,
      finishedAt: new Date().toISOString(),
      testbed,
      head: currentRevision(cwd),
      base: null,
      settings: { rounds: config.rounds, timeBudget: config.timeBudget, taskTimeMs, filter: config.filter, thresholdPct: config.threshold, suite: suite.name },
      benchmarks,
      summary: summarise(benchmarks),
    };
    saveRun(db, report);
    // The new run extends this testbed's main-branch series: refresh their change points.
    if (markSeriesStale(db, report.id, config.mainBranch) > 0) recomputeStale(db, { ...DEFAULT_CHANGE_POINTS, window: config.changePointWindow });
    return report;
  } finally {
    db.close();
  }
}
