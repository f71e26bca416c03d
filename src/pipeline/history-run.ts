/**
 * The `run` pipeline: discover the suite, measure it in rounds of fresh processes, judge each
 * benchmark against the history of the same testbed, and store the run in one transaction.
 * The CLI and the GitHub Action both call `historyRun`.
 */
import { median } from 'simple-statistics';
import { projectName } from '../config/project-name.js';
import { timeBudgetOf, type Config } from '../config/schema.js';
import { currentRevision } from '../git/revision.js';
import { instructionPass } from '../measure/instructions.js';
import { measureHere, measurementsOf, type RoundsProgress } from '../measure/measure-here.js';
import { runtimeProbe } from '../measure/probe.js';
import { completedMedians, resultOf, summariseSide } from '../measure/summarise.js';
import { caseName } from '../measure/suite-types.js';
import { detectTestbed } from '../measure/testbed.js';
import type { BenchmarkResult, RunReport } from '../model.js';
import { newRunReport } from '../report/run-report.js';
import { historyVerdict } from '../stats/history-verdict.js';
import { ruleFor, takes } from '../config/measures.js';
import { harnessHistoryRun } from './harness-runs.js';
import { historyMeasureResults } from './measure-verdicts.js';
import { DEFAULT_CHANGE_POINTS, recomputeStale } from '../store/change-points.js';
import { historyFor } from '../store/history.js';
import { openStore, storeFault } from '../store/open.js';
import { saveRun } from '../store/runs.js';
import { suiteShard } from './shard-plan.js';
import { markSeriesStale } from '../store/series.js';

/** How many earlier runs a history verdict looks at. */
const HISTORY_DEPTH = 20;

/** Measures the suite and stores the run; returns the report. */
export async function historyRun(config: Config, cwd: string, onProgress?: RoundsProgress): Promise<RunReport> {
  if (config.harnesses.length > 0) return harnessHistoryRun(config, cwd, onProgress);
  const startedAt = new Date().toISOString();
  // Open (and check) the database before minutes of measuring, so a bad --db fails fast.
  const db = openStore(config.db);
  try {
    const project = config.project ?? projectName(cwd);
    const testbed = detectTestbed(await runtimeProbe());
    const policy = { measures: config.measures, benchmarks: config.benchmarkRules };
    // A shard measures only its part of the suite, picked by exact names.
    const shard = config.shard && (await suiteShard(db, { ...config, shard: config.shard }, project));
    const here = shard ? { ...config, filter: shard.filter } : config;
    const { suiteName, cases, measured, taskTimeMs } = await measureHere(here, cwd, onProgress, {
      allocations: takes(policy, 'allocated'),
    });
    // Instructions per call: counted under callgrind after all timing.
    const notTaken = takes(policy, 'instructions')
      ? await instructionPass(measured, cases.map(caseName), [
          { side: 'head', suite: config.suite, cwd, profile: config.profile },
        ])
      : [];
    const benchmarks: BenchmarkResult[] = cases.map((c) => {
      const name = caseName(c);
      const measurements = measurementsOf(measured, name);
      const figures = summariseSide(measurements, 'head', c.work);
      const history = historyFor(db, {
        project,
        testbedKey: testbed.key,
        benchmark: name,
        fixtureChecksum: c.fixtureChecksum,
        limit: HISTORY_DEPTH,
      });
      const verdict =
        figures.state === 'completed'
          ? historyVerdict(
              completedMedians(measurements, 'head'),
              history.map((h) => h.medians),
              { thresholdPct: ruleFor(policy, name, 'time').thresholdPct ?? config.threshold ?? undefined },
            )
          : null;
      const baselineMedianSeconds = history.length > 0 ? median(history.map((h) => median(h.medians))) : null;
      const time = ruleFor(policy, name, 'time');
      return resultOf(c, figures, {
        presence: 'both',
        baselineMedianSeconds,
        measurements,
        verdict,
        measures: historyMeasureResults(name, measurements, history, policy, notTaken),
        gated: time.gate,
      });
    });
    const report = newRunReport({
      kind: 'history',
      project,
      profile: config.profile,
      startedAt,
      testbed,
      head: currentRevision(cwd),
      base: null,
      settings: {
        rounds: config.rounds,
        timeBudget: timeBudgetOf(config, 'run'),
        taskTimeMs,
        filter: config.filter,
        thresholdPct: config.threshold,
        suite: suiteName,
        ...(shard ? { shard: shard.record } : {}),
      },
      benchmarks,
    });
    saveRun(db, report);
    // The new run extends this testbed's main-branch series: refresh their change points.
    if (markSeriesStale(db, report.id, config.mainBranch) > 0)
      recomputeStale(db, { ...DEFAULT_CHANGE_POINTS, window: config.changePointWindow });
    return report;
  } catch (e) {
    throw storeFault(e, config.db) ?? e;
  } finally {
    db.close();
  }
}
