/**
 * The measures other than time in a comparison: each benchmark's figures on both sides and, for
 * those compared, a paired verdict on the per-round log ratios. The gated ones are one Holm family
 * at their share of α (time's looks get the rest: a union bound over the two families keeps the
 * run's false-alarm rate at α); the others are decided at α alone and only inform. An exact
 * measure (`instructions`) is one count per side against its threshold, outside the family.
 */
import { ruleFor, takes, type MeasurePolicy } from '../config/measures.js';
import { median } from 'simple-statistics';
import { figureFloor, pairedLogRatios } from '../measure/paired-log-ratios.js';
import type { PairedCase } from '../measure/paired-suites.js';
import { measuresTaken, medianValue } from '../measure/summarise.js';
import { measureInfo, type MeasureName, type MeasureResult, type ProcessMeasurement } from '../model.js';
import type { NotTaken } from '../measure/instructions.js';
import { EXACT_METHOD, exactVerdict } from '../stats/exact-verdict.js';
import { decidePaired } from '../stats/decide-paired.js';
import { defaultThresholdPct } from '../stats/default-threshold-pct.js';
import { historyVerdict } from '../stats/history-verdict.js';
import { holm } from '../stats/holm.js';
import { pairedPValues } from '../stats/paired-p-values.js';
import type { HistoryRun } from '../store/history.js';

/** The measures other than time a suite module's processes take: peak memory always, the others on request. */
export function suiteMeasures(policy: MeasurePolicy): MeasureName[] {
  return (['peak-memory', 'allocated', 'instructions'] as const).filter((m) => takes(policy, m));
}

/** A byte count's threshold is at least this, in percent, unless configured: allocators round. */
export const BYTES_THRESHOLD_FLOOR_PCT = 5;

/** The least threshold derived for a measure, in percent: {@link BYTES_THRESHOLD_FLOOR_PCT} for bytes, else none. */
const thresholdFloorPct = (measure: MeasureName): number | undefined =>
  measureInfo(measure).unit === 'bytes' ? BYTES_THRESHOLD_FLOOR_PCT : undefined;

/** Whether a measure is an exact count, judged against its threshold without rounds or α. */
export const isExact = (measure: MeasureName): boolean => measureInfo(measure).exact === true;

/** How many gated benchmark × measure pairs (other than time, and not exact) the compared benchmarks make. */
export function gatedOtherCount(
  policy: MeasurePolicy,
  names: readonly string[],
  measures: readonly MeasureName[],
): number {
  const noisy = measures.filter((m) => !isExact(m));
  return names.reduce((n, name) => n + noisy.filter((m) => ruleFor(policy, name, m).gate).length, 0);
}

/** A measure that was asked for but not taken: no figures, and an inconclusive verdict saying why. */
export function notTakenResult(measure: MeasureName, reason: string, gated: boolean): MeasureResult {
  return {
    measure,
    gated,
    median: null,
    baselineMedian: null,
    verdict: {
      kind: 'inconclusive',
      method: EXACT_METHOD,
      changePct: null,
      ciLowPct: null,
      ciHighPct: null,
      pValue: null,
      thresholdPct: null,
      reason,
      details: { measure, gated, taken: false },
    },
  };
}

/** The results of `notTaken` for benchmark `name` that `taken` does not already hold. */
function withNotTaken(
  taken: MeasureResult[],
  name: string,
  notTaken: readonly NotTaken[],
  gate: (measure: MeasureName) => boolean,
): MeasureResult[] {
  const extra = notTaken
    .filter((n) => n.name === name && !taken.some((t) => t.measure === n.measure))
    .map((n) => notTakenResult(n.measure, n.reason, gate(n.measure)));
  return [...taken, ...extra];
}

/** Time's share of α when `others` gated pairs besides `times` time verdicts share the run's α. */
export function timeAlpha(alpha: number, times: number, others: number): number {
  return times + others === 0 ? alpha : (alpha * times) / (times + others);
}

interface Item {
  entry: number;
  measure: MeasureName;
  gated: boolean;
  d: number[];
  thresholdPct: number;
}

/**
 * One MeasureResult list per entry: figures for every measure its processes took; a verdict
 * where both sides completed it (`compared[i]`), at `alphaOther` over the gated family, or for an
 * exact measure against its threshold. `notTaken` adds the measures asked for but not taken, with why.
 */
export function measureResults(
  entries: readonly PairedCase[],
  measurementsOf: (i: number) => ProcessMeasurement[],
  compared: readonly boolean[],
  policy: MeasurePolicy,
  o: { alpha: number; alphaOther: number; minRounds: number; notTaken?: readonly NotTaken[] },
): MeasureResult[][] {
  const items: Item[] = [];
  const figures = entries.map((entry, i) => {
    const ms = measurementsOf(i);
    const side = entry.presence === 'removed' ? 'base' : 'head';
    const taken = measuresTaken(ms).map((measure) => {
      const rule = ruleFor(policy, entry.name, measure);
      const median = medianValue(ms, side, measure);
      const baselineMedian = entry.presence === 'both' ? medianValue(ms, 'base', measure) : null;
      if (isExact(measure)) {
        const verdict = compared[i]
          ? exactVerdict(measure, baselineMedian, median, rule.thresholdPct ?? undefined)
          : null;
        if (verdict) verdict.details = { ...verdict.details, measure, gated: rule.gate, correction: 'none' };
        return { measure, gated: rule.gate && entry.presence === 'both', median, baselineMedian, verdict };
      }
      if (compared[i])
        items.push({
          entry: i,
          measure,
          gated: rule.gate,
          d: pairedLogRatios(ms, 1, measure),
          thresholdPct: rule.thresholdPct ?? -1,
        });
      return {
        measure,
        gated: rule.gate && entry.presence === 'both',
        median,
        baselineMedian,
        verdict: null,
      } satisfies MeasureResult as MeasureResult;
    });
    return withNotTaken(taken, entry.name, o.notTaken ?? [], (m) => ruleFor(policy, entry.name, m).gate);
  });
  // A threshold from the noise of the measure's own rounds over the suite, as for time.
  for (const measure of new Set(items.map((it) => it.measure))) {
    const of = items.filter((it) => it.measure === measure);
    const derived = Math.max(thresholdFloorPct(measure) ?? 0, defaultThresholdPct(of.map((it) => it.d)));
    for (const it of of) if (it.thresholdPct < 0) it.thresholdPct = derived;
  }
  const usable = (d: number[]) => d.length >= o.minRounds && d.every(Number.isFinite);
  const gated = items.filter((it) => it.gated);
  const raw = gated.map((it) => (usable(it.d) ? pairedPValues(it.d) : { greater: 1, less: 1 }));
  const greater = holm(raw.map((r) => r.greater));
  const less = holm(raw.map((r) => r.less));
  for (const it of items) {
    const k = gated.indexOf(it);
    const verdict = decidePaired(it.d, {
      thresholdPct: it.thresholdPct,
      alpha: it.gated ? o.alphaOther : o.alpha,
      minRounds: o.minRounds,
      adjustedPValues: k >= 0 && usable(it.d) ? { greater: greater[k] as number, less: less[k] as number } : undefined,
    });
    verdict.details = {
      ...verdict.details,
      measure: it.measure,
      gated: it.gated,
      familySize: gated.length,
      correction: it.gated ? 'holm' : 'none',
    };
    const target = figures[it.entry]?.find((f) => f.measure === it.measure);
    if (target) target.verdict = verdict;
  }
  return figures;
}

/**
 * History mode: each measure other than time that this run took, judged against the same
 * measure's figures in the earlier runs (runs stored before measures existed have none); an exact
 * one against the newest earlier run that counted it. `notTaken` adds the measures asked for but
 * not taken, with why.
 */
export function historyMeasureResults(
  name: string,
  measurements: readonly ProcessMeasurement[],
  history: readonly HistoryRun[],
  policy: MeasurePolicy,
  notTaken: readonly NotTaken[] = [],
): MeasureResult[] {
  // Figures as the verdict reads them: floored like the paired ratios, and inverted where higher
  // is better (throughput), so that a rise of the figure is always the regression.
  const oriented = (measure: MeasureName) => (xs: readonly number[]) =>
    xs
      .map((x) => Math.max(x, figureFloor(measure)))
      .filter((x) => x > 0)
      .map((x) => (measureInfo(measure).better === 'higher' ? 1 / x : x));
  const taken = measuresTaken(measurements).map((measure) => {
    const rule = ruleFor(policy, name, measure);
    if (isExact(measure)) {
      const now = medianValue(measurements, 'head', measure);
      const last = history.find((h) => (h.values[measure] ?? []).length > 0)?.values[measure];
      const before = last ? median(last) : null;
      const verdict = before === null ? null : exactVerdict(measure, before, now, rule.thresholdPct ?? undefined);
      if (verdict) verdict.details = { ...verdict.details, measure, gated: rule.gate };
      return { measure, gated: rule.gate, median: now, baselineMedian: before, verdict };
    }
    const now = measurements
      .filter((m) => m.side === 'head' && m.state === 'completed')
      .map((m) => m.values?.[measure])
      .filter((v): v is number => typeof v === 'number');
    const past = history.map((h) => h.values[measure] ?? []).filter((v) => v.length > 0);
    const verdict = historyVerdict(oriented(measure)(now), past.map(oriented(measure)), {
      thresholdPct: rule.thresholdPct ?? undefined,
      floorPct: thresholdFloorPct(measure),
    });
    verdict.details = { ...verdict.details, measure, gated: rule.gate };
    return {
      measure,
      gated: rule.gate,
      median: medianValue(measurements, 'head', measure),
      baselineMedian: past.length > 0 ? median(past.map((v) => median(v))) : null,
      verdict,
    };
  });
  return withNotTaken(taken, name, notTaken, (m) => ruleFor(policy, name, m).gate);
}
