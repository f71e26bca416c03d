/**
 * The statistic of a paired comparison: per round, d = ln(head/base) of one benchmark's
 * per-process medians. Rounds where either side did not complete are left out of the pairs.
 */
import type { ProcessMeasurement } from '../model.js';

/** d = ln(head/base) per round, in round order; `headFactor` scales head times (detection trials). */
export function pairedLogRatios(measurements: readonly ProcessMeasurement[], headFactor = 1): number[] {
  const byRound = new Map<number, { head?: number; base?: number }>();
  for (const m of measurements) {
    if (m.state !== 'completed' || m.medianSeconds === null || !(m.medianSeconds > 0)) continue;
    const pair = byRound.get(m.round) ?? {};
    pair[m.side] = m.medianSeconds;
    byRound.set(m.round, pair);
  }
  return [...byRound.entries()]
    .sort(([a], [b]) => a - b)
    .filter(([, p]) => p.head !== undefined && p.base !== undefined)
    .map(([, p]) => Math.log(((p.head as number) * headFactor) / (p.base as number)));
}
