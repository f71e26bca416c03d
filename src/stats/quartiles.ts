/**
 * The median and the first and third quartiles of a sample by numpy's default (linear) rule: the
 * quantile p sits at index (n − 1)·p of the sorted values, interpolated between neighbours.
 */

/** A sample's quartiles. */
export interface Quartiles {
  q1: number;
  median: number;
  q3: number;
}

/** Quantile `p` (0–1) of values sorted ascending, numpy's linear rule. */
function linearQuantileSorted(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return a + (h - lo) * (b - a);
}

/** The quartiles of `values` (NaN left out); null when none are left. */
export function quartiles(values: readonly number[]): Quartiles | null {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((x, y) => x - y);
  if (sorted.length === 0) return null;
  return {
    q1: linearQuantileSorted(sorted, 0.25),
    median: linearQuantileSorted(sorted, 0.5),
    q3: linearQuantileSorted(sorted, 0.75),
  };
}
