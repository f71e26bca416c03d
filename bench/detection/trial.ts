/**
 * One replayed comparison: a random order of the stored rounds (each round used at most once),
 * and optionally a slowdown applied to one benchmark's head side. Every rule sees the same trial.
 */
import { shuffleInPlace } from '../../src/random.js';
import type { ProcessValue, ReplayData } from './replay-data.js';

/** A replayed comparison. */
export interface Trial {
  /** Stored round indices in the order the trial "measures" them. */
  order: number[];
  /** Benchmark slowed down, or null for an A/A trial. */
  target: number | null;
  /** Multiplicative slowdown of the target's head times (1 for A/A). */
  factor: number;
}

/**
 * Draws a trial; `slowdownPct` 0 gives an A/A trial. `targets`: the benchmarks a slowdown may
 * fall on (all by default; with `--measure`, those that report the measure).
 */
export function drawTrial(
  data: ReplayData,
  slowdownPct: number,
  random: () => number,
  targets: readonly number[] | null = null,
): Trial {
  const order = shuffleInPlace(
    Array.from({ length: data.rounds }, (_, i) => i),
    random,
  );
  if (slowdownPct === 0) return { order, target: null, factor: 1 };
  const target =
    targets === null
      ? Math.floor(random() * data.names.length)
      : (targets[Math.floor(random() * targets.length)] as number);
  return { order, target, factor: 1 + slowdownPct / 100 };
}

/** The head value of benchmark `b` in stored round `r`, with the trial's slowdown applied. */
export function headValue(data: ReplayData, trial: Trial, b: number, r: number): ProcessValue {
  const v = (data.head[b] as ProcessValue[])[r] as ProcessValue;
  if (trial.target !== b) return v;
  const f = trial.factor;
  return { median: v.median * f, mean: v.mean * f, sd: v.sd * f, samples: v.samples };
}

/** The base value of benchmark `b` in stored round `r`. */
export function baseValue(data: ReplayData, b: number, r: number): ProcessValue {
  return (data.base[b] as ProcessValue[])[r] as ProcessValue;
}
