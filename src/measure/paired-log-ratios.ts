/**
 * The statistic of a paired comparison: per round, d = ln(head/base) of one benchmark's
 * per-process figures of a measure (time: the per-process median), oriented so that d > 0 is
 * worse: for a measure where higher is better (throughput) d = ln(base/head). Rounds where either
 * side did not complete, or has no usable figure, are left out of the pairs.
 */
import { measureInfo, type MeasureName, type ProcessMeasurement } from '../model.js';

/**
 * Byte counts below this are taken as this: a benchmark that needed nothing beyond its fixture on
 * one side and megabytes on the other is a change the ratio must see, not a division by zero.
 */
export const BYTES_FLOOR = 64 * 1024;

/**
 * The least figure a ratio takes of a measure: bytes {@link BYTES_FLOOR}, a count one (no
 * allocations against three is a change the ratio must see); other units must be positive.
 */
export function figureFloor(measure: MeasureName): number {
  const { unit } = measureInfo(measure);
  return unit === 'bytes' ? BYTES_FLOOR : unit === 'count' ? 1 : 0;
}

/** A process's figure of `measure`, or undefined when it has none. */
function figureOf(m: ProcessMeasurement, measure: MeasureName): number | undefined {
  if (measure === 'time') {
    const t = m.medianSeconds;
    return typeof t === 'number' && t > 0 && Number.isFinite(t) ? t : undefined;
  }
  const v = m.values?.[measure];
  if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) return undefined;
  const floored = Math.max(v, figureFloor(measure));
  return floored > 0 ? floored : undefined;
}

/**
 * d = ln(head/base) per round, in round order; `headFactor` scales head figures (detection trials).
 * For time, a round whose head measurement carries the block-by-block ratio of a process that
 * timed both sides (`blockLogRatio`) takes that, the ratio of the medians otherwise.
 */
export function pairedLogRatios(
  measurements: readonly ProcessMeasurement[],
  headFactor = 1,
  measure: MeasureName = 'time',
): number[] {
  const higherIsBetter = measureInfo(measure).better === 'higher';
  const byRound = new Map<number, { head?: number; base?: number; blocks?: number }>();
  for (const m of measurements) {
    const v = m.state === 'completed' ? figureOf(m, measure) : undefined;
    if (v === undefined) continue;
    const pair = byRound.get(m.round) ?? {};
    pair[m.side] = v;
    if (
      measure === 'time' &&
      m.side === 'head' &&
      typeof m.blockLogRatio === 'number' &&
      Number.isFinite(m.blockLogRatio)
    )
      pair.blocks = m.blockLogRatio;
    byRound.set(m.round, pair);
  }
  return [...byRound.entries()]
    .sort(([a], [b]) => a - b)
    .filter(([, p]) => p.head !== undefined && p.base !== undefined)
    .map(([, p]) => {
      const d =
        p.blocks !== undefined
          ? p.blocks + Math.log(headFactor)
          : Math.log(((p.head as number) * headFactor) / (p.base as number));
      return higherIsBetter ? -d : d;
    });
}
