/**
 * The `run` pipeline: discover the suite, measure it in rounds of fresh processes, judge each
 * benchmark against the history of the same testbed, and store the run in one transaction.
 * The CLI and the GitHub Action both call `historyRun`.
 */
import { randomUUID } from 'node:crypto';
import { median } from 'simple-statistics';
import { timeBudgetOf, type Config } from '../config/schema.js';
import type { BenchmarkResult, RunReport, Verdict } from '../model.js';
import { currentRevision } from '../git/revision.js';
import { measureHere, measurementsOf, type RoundsProgress } from '../measure/measure-here.js';
import { caseIdentity, completedMedians, noVerdict, summariseSide } from '../measure/summarise.js';
import { caseName } from '../measure/suite-types.js';
import { detectTestbed } from '../measure/testbed.js';
import { runtimeProbe } from '../measure/probe.js';
import { historyVerdict } from '../stats/history-verdict.js';
import { openStore } from '../store/open.js';
import { historyFor } from '../store/history.js';
import { saveRun } from '../store/runs.js';
import { markSeriesStale } from '../store/series.js';
import { DEFAULT_CHANGE_POINTS, recomputeStale } from '../store/change-points.js';
import { summarise } from '../report/summary.js';
import { projectName } from '../config/project-name.js';

/** How many earlier runs a history verdict looks at. */
const HISTORY_DEPTH = 20;

/** Measures the suite and stores the run; returns the report. */
export async function historyRun(config: Config, cwd: string, onProgress?: RoundsProgress): Promise<RunReport> {
  const startedAt = new Date().toISOString();
  // Open (and check) the database before minutes of measuring, so a bad --db fails fast.
  const db = openStore(config.db);
  try {
    const project = config.project ?? projectName(cwd);
    const testbed = detectTestbed(await runtimeProbe());
    const { suiteName, cases, measured, taskTimeMs } = await measureHere(config, cwd, onProgress);
    const benchmarks: BenchmarkResult[] = cases.map((c) => {
      const name = caseName(c);
      const measurements = measurementsOf(measured, name);
      const figures = summariseSide(measurements, 'head', c.work);
      const history = historyFor(db, { project, testbedKey: testbed.key, benchmark: name, fixtureChecksum: c.fixtureChecksum, limit: HISTORY_DEPTH });
      const verdict: Verdict =
        figures.state === 'completed'
          ? historyVerdict(completedMedians(measurements, 'head'), history.map((h) => h.medians), { thresholdPct: config.threshold ?? undefined })
          : noVerdict(`${figures.state}: ${figures.reason}`);
      return {
        ...caseIdentity(c),
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
      settings: { rounds: config.rounds, timeBudget: timeBudgetOf(config, 'run'), taskTimeMs, filter: config.filter, thresholdPct: config.threshold, suite: suiteName },
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
