/**
 * One benchmark's result in a history run: its measurements summarised and judged against the
 * earlier history runs of the same project, testbed and series (`run`, on a suite or on the
 * project's harnesses, and `import`).
 */
import type Database from 'better-sqlite3';
import { median } from 'simple-statistics';
import { ruleFor, type MeasurePolicy } from '../config/measures.js';
import { completedMedians, resultOf, summariseSide } from '../measure/summarise.js';
import type { BenchmarkId, BenchmarkResult, ProcessMeasurement, Work } from '../model.js';
import { historyVerdict } from '../stats/history-verdict.js';
import { historyFor } from '../store/history.js';
import type { NotTaken } from '../measure/instructions.js';
import { historyMeasureResults } from './measure-verdicts.js';

/** How many earlier runs a history verdict looks at. */
export const HISTORY_DEPTH = 20;

/** Where a history run's benchmarks find their history, and how they are judged. */
export interface HistoryJudging {
  db: Database.Database;
  project: string;
  testbedKey: string;
  policy: MeasurePolicy;
  /** The configured threshold in percent; null = derived from the history's noise. */
  threshold: number | null;
}

/** The result of benchmark `c` from its head measurements: figures, baseline, time verdict and other measures. */
export function historyResult(
  judging: HistoryJudging,
  c: BenchmarkId & { work: Work },
  measurements: ProcessMeasurement[],
  /** Measures asked for but not taken (instructions without valgrind), with why. */
  notTaken: readonly NotTaken[] = [],
): BenchmarkResult {
  const figures = summariseSide(measurements, 'head', c.work);
  const history = historyFor(judging.db, {
    project: judging.project,
    testbedKey: judging.testbedKey,
    benchmark: c.name,
    fixtureChecksum: c.fixtureChecksum,
    limit: HISTORY_DEPTH,
  });
  const time = ruleFor(judging.policy, c.name, 'time');
  return resultOf(c, figures, {
    presence: 'both',
    baselineMedianSeconds: history.length > 0 ? median(history.map((h) => median(h.medians))) : null,
    measurements,
    verdict:
      figures.state === 'completed'
        ? historyVerdict(
            completedMedians(measurements, 'head'),
            history.map((h) => h.medians),
            { thresholdPct: time.thresholdPct ?? judging.threshold ?? undefined },
          )
        : null,
    measures: historyMeasureResults(c.name, measurements, history, judging.policy, notTaken),
    gated: time.gate,
  });
}
