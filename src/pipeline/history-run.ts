/**
 * The `run` pipeline: discover the suite, measure it in rounds of fresh processes, judge each
 * benchmark against the history of the same testbed, profile the head's regressions — CPU for
 * time, heap for memory — (and, with `keep-profiles`, every benchmark, to keep), and store the run
 * in one transaction.
 * The CLI and the GitHub Action both call `historyRun`.
 */
import { dirname } from 'node:path';
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
import { countsToKeep, earlierKept, earlierKeptCounts, functionsToKeep, keptQuery } from '../store/kept-profiles.js';
import { profileHead, type HeadProfiles } from '../profile/head-profiles.js';
import { HEAP_PROFILER } from '../profile/profile-pass.js';

/** Measures the suite and stores the run; returns the report. */
export async function historyRun(
  config: Config,
  cwd: string,
  onProgress?: RoundsProgress,
  onStatus: (line: string) => void = () => undefined,
): Promise<RunReport> {
  if (config.harnesses.length > 0) return harnessHistoryRun(config, cwd, onProgress, onStatus);
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
    const judged: BenchmarkResult[] = cases.map((c) =>
      historyResult(judging, caseIdentity(c), measurementsOf(measured, caseName(c)), notTaken),
    );
    // Where each regression's time or memory went, after all measuring: the head against a kept profile.
    const profiled: HeadProfiles =
      config.profileRegressions || config.keepProfiles
        ? await profileHead(
            judged,
            { side: 'head', suite: config.suite, cwd, root: cwd, profile: config.profile },
            {
              budgetSeconds: config.profileBudget,
              folder: dirname(config.reportJson),
              keepAll: config.keepProfiles,
              earlier: config.profileRegressions ? (b) => earlierKept(db, keptQuery(judging, b)) : () => null,
              earlierCounts: config.profileRegressions
                ? (b) => earlierKeptCounts(db, keptQuery(judging, b), 'bytes')
                : () => null,
              onStatus,
            },
          )
        : { benchmarks: judged, summary: null, kept: [], keptCounts: [] };
    // What is kept goes with its result, so the run file carries it (data branch, service).
    const keptOf = new Map(profiled.kept.map((k) => [k.benchmark.name, k]));
    const countsOf = new Map(profiled.keptCounts.map((k) => [k.benchmark.name, k]));
    const benchmarks = (config.profileRegressions ? profiled.benchmarks : judged).map((b) => {
      const k = keptOf.get(b.name);
      const c = countsOf.get(b.name);
      return {
        ...b,
        ...(k ? { keptProfile: { calls: k.calls, functions: functionsToKeep(k.functions) } } : {}),
        ...(c
          ? {
              keptCountProfile: {
                unit: 'bytes' as const,
                profiler: HEAP_PROFILER,
                calls: c.calls,
                functions: countsToKeep(c.functions),
              },
            }
          : {}),
      };
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
        ...(profiled.summary ? { profiling: profiled.summary } : {}),
        ...(config.keepProfiles
          ? { keptProfiles: profiled.kept.length, keptCountProfiles: profiled.keptCounts.length }
          : {}),
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
