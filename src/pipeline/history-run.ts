/**
 * The `run` pipeline: discover the suite, measure it in rounds of fresh processes, judge each
 * benchmark against the history of the same testbed, and store the run in one transaction.
 * The CLI and the GitHub Action both call `historyRun`.
 */
import { projectName } from '../config/project-name.js';
import { timeBudgetOf, type Config } from '../config/schema.js';
import { currentRevision } from '../git/revision.js';
import { instructionPass } from '../measure/instructions.js';
import { measureHere, measurementsOf, type RoundsProgress } from '../measure/measure-here.js';
import { runtimeProbe } from '../measure/probe.js';
import { caseIdentity } from '../measure/summarise.js';
import { caseName } from '../measure/suite-types.js';
import { detectTestbed } from '../measure/testbed.js';
import type { BenchmarkResult, RunReport } from '../model.js';
import { newRunReport } from '../report/run-report.js';
import { takes } from '../config/measures.js';
import { harnessHistoryRun } from './harness-runs.js';
import { historyResult } from './history-results.js';
import { DEFAULT_CHANGE_POINTS, recomputeStale } from '../store/change-points.js';
import { openStore, storeFault } from '../store/open.js';
import { saveRun } from '../store/runs.js';
import { suiteShard } from './shard-plan.js';
import { markSeriesStale } from '../store/series.js';

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
    const judging = { db, project, testbedKey: testbed.key, policy, threshold: config.threshold };
    const benchmarks: BenchmarkResult[] = cases.map((c) =>
      historyResult(judging, caseIdentity(c), measurementsOf(measured, caseName(c)), notTaken),
    );
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
