/**
 * Whether a benchmark's per-process levels (one figure per process, e.g. its median time per call)
 * fall in two clusters: the machine ran at another speed in some processes (a neighbour on the
 * host, a clock step: native and JS code alike slow down 1.5–2× for spells of a fraction of a
 * second, docs/method/real-regressions.md), or a JIT settled at one of two speeds. The levels split
 * at their widest gap in log terms when that gap is at least 10% and each side holds at least two
 * processes and a fifth of them: a second speed, not one outlier.
 */
import { median } from 'simple-statistics';

/** The two clusters: their medians and sizes. */
export interface TwoSpeeds {
  low: number;
  high: number;
  nLow: number;
  nHigh: number;
}

/** The two clusters of `levels`, or null when they are one. */
export function twoSpeeds(levels: readonly number[]): TwoSpeeds | null {
  const s = levels.filter((x) => x > 0 && Number.isFinite(x)).sort((a, b) => a - b);
  let best = -1;
  let gap = 0;
  for (let i = 1; i < s.length; i++) {
    const g = Math.log((s[i] as number) / (s[i - 1] as number));
    if (g > gap) {
      gap = g;
      best = i;
    }
  }
  const least = Math.max(2, Math.ceil(s.length / 5));
  if (best < 0 || gap < Math.log(1.1) || best < least || s.length - best < least) return null;
  return { low: median(s.slice(0, best)), high: median(s.slice(best)), nLow: best, nHigh: s.length - best };
}
