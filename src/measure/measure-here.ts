/**
 * Measures the selected benchmarks of this checkout's suite in `rounds` rounds of fresh worker
 * processes (one side): the common first half of `run` and `roofline`.
 */
import { timeBudgetOf, type Config } from '../config/schema.js';
import type { ProcessMeasurement } from '../model.js';
import { taskTimeFor } from './round-plan.js';
import { measureRounds, type MeasuredProcess, type ProgressEvent } from './rounds.js';
import { loadSuite, selectCases } from './suite.js';
import { caseName, type BenchmarkCase } from './suite-types.js';

/** Progress of a multi-round measurement, with the number of rounds planned. */
export type RoundsProgress = (e: ProgressEvent & { rounds: number }) => void;

/** What was measured: the cases, every process measurement, and the per-benchmark time budget. */
export interface MeasuredSuite {
  suiteName: string;
  cases: BenchmarkCase[];
  measured: MeasuredProcess[];
  taskTimeMs: number;
}

/**
 * Loads the suite, selects the cases and measures them in this checkout; `roofProbes` times each
 * beside the probes of the machine's roofs (the roofline).
 */
export async function measureHere(
  config: Pick<Config, 'suite' | 'profile' | 'filter' | 'timeBudget' | 'rounds'>,
  cwd: string,
  onProgress?: RoundsProgress,
  options: { roofProbes?: boolean; allocations?: boolean } = {},
): Promise<MeasuredSuite> {
  const suite = await loadSuite(config.suite);
  const cases = selectCases(suite, config.profile, config.filter);
  const names = cases.map(caseName);
  const taskTimeMs = taskTimeFor(timeBudgetOf(config, 'run'), config.rounds, 1, names.length);
  const measured = await measureRounds(
    {
      sides: [{ side: 'head', suite: config.suite, cwd }],
      names,
      profile: config.profile,
      taskTimeMs,
      minIterations: 3,
      timeoutMs: Math.max(300_000, 20 * taskTimeMs),
      roofProbes: options.roofProbes,
      allocations: options.allocations,
      onProgress: onProgress && ((e) => onProgress({ ...e, rounds: config.rounds })),
    },
    config.rounds,
  );
  return { suiteName: suite.name, cases, measured, taskTimeMs };
}

/** The process measurements of one benchmark, without the name. */
export function measurementsOf(measured: MeasuredProcess[], name: string): ProcessMeasurement[] {
  return measured.filter((m) => m.name === name).map(({ name: _n, ...m }) => m);
}
