/**
 * The statistic of a paired comparison: per round, d = ln(head/base) of one benchmark's
 * per-process figures of a measure (time: the per-process median). Rounds where either side did
 * not complete, or has no positive figure, are left out of the pairs.
 */
import type { MeasureName, ProcessMeasurement } from '../model.js';

/**
 * Byte counts below this are taken as this: a benchmark that needed nothing beyond its fixture on
 * one side and megabytes on the other is a change the ratio must see, not a division by zero.
 */
export const BYTES_FLOOR = 64 * 1024;

/** A process's figure of `measure`, or undefined when it has none. */
function figureOf(m: ProcessMeasurement, measure: MeasureName): number | undefined {
  if (measure === 'time') {
    const t = m.medianSeconds;
    return typeof t === 'number' && t > 0 && Number.isFinite(t) ? t : undefined;
  }
  const v = m.values?.[measure];
  return typeof v === 'number' && v >= 0 && Number.isFinite(v) ? Math.max(v, BYTES_FLOOR) : undefined;
}

/** d = ln(head/base) per round, in round order; `headFactor` scales head figures (detection trials). */
export function pairedLogRatios(
  measurements: readonly ProcessMeasurement[],
  headFactor = 1,
  measure: MeasureName = 'time',
): number[] {
  const byRound = new Map<number, { head?: number; base?: number }>();
  for (const m of measurements) {
    const v = m.state === 'completed' ? figureOf(m, measure) : undefined;
    if (v === undefined) continue;
    const pair = byRound.get(m.round) ?? {};
    pair[m.side] = v;
    byRound.set(m.round, pair);
  }
  return [...byRound.entries()]
    .sort(([a], [b]) => a - b)
    .filter(([, p]) => p.head !== undefined && p.base !== undefined)
    .map(([, p]) => Math.log(((p.head as number) * headFactor) / (p.base as number)));
}
