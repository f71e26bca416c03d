/**
 * What a round of a paired comparison costs at a task time, and the task time that fits a round
 * into a budget. A benchmark whose calls are slow makes its minimum calls whatever the task time,
 * so the cost of a round is not simply proportional to it: the sizing counts each benchmark's call
 * time, measured in the rounds so far.
 */
import { median } from 'simple-statistics';
import type { ProcessMeasurement } from '../model.js';
import { WARMUP_CALLS, warmupMsFor } from './protocol.js';

/** Timed calls a side makes at least (./alternate.ts: four blocks of at least one call). */
export const MIN_TIMED_CALLS = 4;

/** Milliseconds one side of a benchmark takes in a round at `taskTimeMs`: its warm-up and its timed calls. */
export function sideCostMs(taskTimeMs: number, callMs: number): number {
  return Math.max(taskTimeMs, MIN_TIMED_CALLS * callMs) + Math.max(warmupMsFor(taskTimeMs), WARMUP_CALLS * callMs);
}

/** Per benchmark name, its median call time (ms) over the completed measurements given. */
export function callTimesMs(measured: readonly (ProcessMeasurement & { name: string })[]): Map<string, number> {
  const by = new Map<string, number[]>();
  for (const m of measured) {
    if (m.state !== 'completed' || m.medianSeconds === null || !(m.medianSeconds > 0)) continue;
    (by.get(m.name) ?? by.set(m.name, []).get(m.name)!).push(1000 * m.medianSeconds);
  }
  return new Map([...by].map(([name, ms]) => [name, median(ms)]));
}

/** Bounds of a task time. */
export interface FitOptions {
  /** Sides per benchmark (2 when paired). */
  sides?: number;
  minMs?: number;
  maxMs?: number;
}

/**
 * The one task time (ms) at which a round of benchmarks with these call times spends `budgetMs` on
 * warm-ups and timed calls ({@link sideCostMs}), within [minMs, maxMs]: `minMs` when even that
 * overfills the budget.
 */
export function fitTaskTimeMs(callMs: readonly number[], budgetMs: number, o: FitOptions = {}): number {
  const sides = o.sides ?? 2;
  const minMs = o.minMs ?? 20;
  const maxMs = o.maxMs ?? 10_000;
  const cost = (t: number) => sides * callMs.reduce((sum, c) => sum + sideCostMs(t, c), 0);
  if (cost(maxMs) <= budgetMs) return maxMs;
  if (cost(minMs) >= budgetMs) return minMs;
  let lo = minMs;
  let hi = maxMs;
  for (let k = 0; k < 60; k++) {
    const mid = (lo + hi) / 2;
    if (cost(mid) <= budgetMs) lo = mid;
    else hi = mid;
  }
  return lo;
}
