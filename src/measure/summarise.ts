/**
 * Turns one benchmark's per-process measurements into the figures a report shows: the median
 * over processes, its robust spread, and throughput against the work one call does.
 */
import { median, medianAbsoluteDeviation } from 'simple-statistics';
import { byMeasure } from '../model.js';
import type {
  BenchmarkId,
  BenchmarkResult,
  CompletedResult,
  FailedResult,
  MeasureName,
  MeasureResult,
  Presence,
  ProcessMeasurement,
  Side,
  Verdict,
  Work,
} from '../model.js';
import { caseName, type BenchmarkCase } from './suite-types.js';

/** The completed per-process medians of one side. */
export function completedMedians(measurements: ProcessMeasurement[], side: Side): number[] {
  return measurements
    .filter((m) => m.side === side && m.state === 'completed' && m.medianSeconds !== null)
    .map((m) => m.medianSeconds as number);
}

type Figures<R extends BenchmarkResult> = Pick<
  R,
  'state' | 'reason' | 'medianSeconds' | 'spreadPct' | 'gflops' | 'gbps'
>;

/** One side's figures, shaped by its state. */
export type SideFigures = Figures<CompletedResult> | Figures<FailedResult>;

/** The figures of one side: state (completed when any process completed), median, spread, throughput. */
export function summariseSide(measurements: ProcessMeasurement[], side: Side, work: Work): SideFigures {
  const medians = completedMedians(measurements, side);
  if (medians.length === 0) {
    const ofSide = measurements.filter((m) => m.side === side);
    const state = ofSide.some((m) => m.state === 'errored') ? 'errored' : 'skipped';
    const reason = ofSide.find((m) => m.state === state)?.reason ?? 'not measured';
    return { state, reason, medianSeconds: null, spreadPct: null, gflops: null, gbps: null };
  }
  const mid = median(medians);
  const failed = measurements.filter((m) => m.side === side && m.state !== 'completed');
  return {
    state: 'completed',
    reason: failed.length > 0 ? `${failed.length} process(es) failed: ${failed[0]?.reason}` : null,
    medianSeconds: mid,
    spreadPct: medians.length > 1 ? (100 * 1.4826 * medianAbsoluteDeviation(medians)) / mid : null,
    gflops: work.flops !== null ? work.flops / mid / 1e9 : null,
    gbps: work.bytes !== null ? work.bytes / mid / 1e9 : null,
  };
}

/**
 * A benchmark as a result names it: a suite's case, or a harness's benchmark, which carries its
 * own name (`go/example.com/pkg/BenchmarkParse`).
 */
export type CaseIdentity = Pick<BenchmarkCase, 'kernel' | 'implementation' | 'fixture' | 'fixtureChecksum' | 'work'> & {
  name?: string;
};

/** What a result says about the case itself: its name, identity and work. */
export function caseIdentity(c: CaseIdentity): BenchmarkId & { work: Work } {
  return {
    name: c.name ?? caseName(c),
    kernel: c.kernel,
    implementation: c.implementation,
    fixture: c.fixture,
    fixtureChecksum: c.fixtureChecksum,
    work: c.work,
  };
}

/** The measures other than time that any of these processes took, the built-in ones first. */
export function measuresTaken(measurements: readonly ProcessMeasurement[]): MeasureName[] {
  const taken = new Set(measurements.flatMap((m) => Object.keys(m.values ?? {})));
  taken.delete('time');
  return [...taken].sort(byMeasure);
}

/** The median over one side's completed processes of a measure's figure, or null when none has it. */
export function medianValue(
  measurements: readonly ProcessMeasurement[],
  side: Side,
  measure: MeasureName,
): number | null {
  const values = measurements
    .filter((m) => m.side === side && m.state === 'completed')
    .map((m) => m.values?.[measure])
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return values.length > 0 ? median(values) : null;
}

/** The rest of a result besides its case and figures. */
export interface ResultContext {
  presence: Presence;
  baselineMedianSeconds: number | null;
  measurements: ProcessMeasurement[];
  /** Taken only when the figures completed: a failed benchmark has no verdict. */
  verdict: Verdict | null;
  /** The measures other than time (none when the figures failed). */
  measures?: MeasureResult[];
  /** False when the time verdict only informs. */
  gated?: boolean;
}

/** One benchmark's result, shaped by its state: figures and a verdict when completed, the reason otherwise. */
export function resultOf(c: CaseIdentity, figures: SideFigures, rest: ResultContext): BenchmarkResult {
  const base = {
    ...caseIdentity(c),
    presence: rest.presence,
    baselineMedianSeconds: rest.baselineMedianSeconds,
    measurements: rest.measurements,
    ...(rest.gated === false ? { gated: false } : {}),
  };
  return figures.state === 'completed'
    ? { ...base, ...figures, verdict: rest.verdict, measures: rest.measures ?? [] }
    : { ...base, ...figures, verdict: null, measures: [] };
}

/** An `inconclusive` verdict with no statistics, and the reason there are none. */
export function noVerdict(reason: string, method = 'none', details: Record<string, unknown> = {}): Verdict {
  return {
    kind: 'inconclusive',
    method,
    changePct: null,
    ciLowPct: null,
    ciHighPct: null,
    pValue: null,
    thresholdPct: null,
    reason,
    details,
  };
}
