/**
 * The measures other than time in a comparison: each benchmark's figures on both sides and, for
 * those compared, a paired verdict on the per-round log ratios. The gated ones are one Holm family
 * at their share of α (time's looks get the rest: a union bound over the two families keeps the
 * run's false-alarm rate at α); the others are decided at α alone and only inform.
 */
import { ruleFor, takes, type MeasurePolicy } from '../config/measures.js';
import { median } from 'simple-statistics';
import { BYTES_FLOOR, pairedLogRatios } from '../measure/paired-log-ratios.js';
import type { PairedCase } from '../measure/paired-suites.js';
import { measuresTaken, medianValue } from '../measure/summarise.js';
import { type MeasureName, type MeasureResult, type ProcessMeasurement } from '../model.js';
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

/** How many gated benchmark × measure pairs (other than time) the compared benchmarks make. */
export function gatedOtherCount(
  policy: MeasurePolicy,
  names: readonly string[],
  measures: readonly MeasureName[],
): number {
  return names.reduce((n, name) => n + measures.filter((m) => ruleFor(policy, name, m).gate).length, 0);
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
 * where both sides completed it (`compared[i]`), at `alphaOther` over the gated family.
 */
export function measureResults(
  entries: readonly PairedCase[],
  measurementsOf: (i: number) => ProcessMeasurement[],
  compared: readonly boolean[],
  policy: MeasurePolicy,
  o: { alpha: number; alphaOther: number; minRounds: number },
): MeasureResult[][] {
  const items: Item[] = [];
  const figures = entries.map((entry, i) => {
    const ms = measurementsOf(i);
    const side = entry.presence === 'removed' ? 'base' : 'head';
    return measuresTaken(ms).map((measure) => {
      const rule = ruleFor(policy, entry.name, measure);
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
        median: medianValue(ms, side, measure),
        baselineMedian: entry.presence === 'both' ? medianValue(ms, 'base', measure) : null,
        verdict: null,
      } satisfies MeasureResult as MeasureResult;
    });
  });
  // A threshold from the noise of the measure's own rounds over the suite, as for time.
  for (const measure of new Set(items.map((it) => it.measure))) {
    const of = items.filter((it) => it.measure === measure);
    const derived = Math.max(BYTES_THRESHOLD_FLOOR_PCT, defaultThresholdPct(of.map((it) => it.d)));
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
 * measure's figures in the earlier runs (runs stored before measures existed have none).
 */
export function historyMeasureResults(
  name: string,
  measurements: readonly ProcessMeasurement[],
  history: readonly HistoryRun[],
  policy: MeasurePolicy,
): MeasureResult[] {
  const floored = (xs: readonly number[]) => xs.map((x) => Math.max(x, BYTES_FLOOR));
  return measuresTaken(measurements).map((measure) => {
    const rule = ruleFor(policy, name, measure);
    const now = measurements
      .filter((m) => m.side === 'head' && m.state === 'completed')
      .map((m) => m.values?.[measure])
      .filter((v): v is number => typeof v === 'number');
    const past = history.map((h) => h.values[measure] ?? []).filter((v) => v.length > 0);
    const verdict = historyVerdict(floored(now), past.map(floored), {
      thresholdPct: rule.thresholdPct ?? undefined,
      floorPct: BYTES_THRESHOLD_FLOOR_PCT,
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
}
