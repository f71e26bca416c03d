/**
 * E-Divisive means change-point detection (Matteson & James 2014, as used by MongoDB's
 * "Change Point Detection in Software Performance Testing" and Apache Otava/hunter) with a
 * permutation significance test.
 *
 * For a segment and a split τ into X (before) and Y (after), the energy statistic with exponent 1
 *   Q(τ) = m·n/(m+n) · ( 2/(mn)·Σ|x−y| − 2/(m(m−1))·Σ_{i<j}|xᵢ−xⱼ| − 2/(n(n−1))·Σ_{i<j}|yᵢ−yⱼ| )
 * is large when the two sides differ in distribution. The best split maximises Q; it is kept when
 * its permutation p-value (shuffle the segment, recompute the maximum, (count ≥ observed + 1) /
 * (permutations + 1)) is below alpha, and both sides are searched again.
 *
 * Speed: within-side sums of |xᵢ−xⱼ| for every τ come from one sweep in each direction with a
 * Fenwick tree over the values' ranks (O(n log n) per evaluation instead of O(n²)), and a
 * permutation test stops as soon as its p-value can no longer fall below alpha. `window` limits
 * the search to the most recent points for incremental recomputation as runs arrive.
 */
import { seededRandom, shuffleInPlace } from '../random.js';

/** Options of {@link eDivisive}. */
export interface EDivisiveOptions {
  /** Significance level of each split, in (0, 1) (default 0.01). */
  alpha?: number;
  /** Permutations per significance test (default 199, so the smallest p-value is 0.005); raised to fit alpha. */
  permutations?: number;
  /** Seed of the permutations (default 1). */
  seed?: number;
  /** Fewest points on either side of a change point (default 5, at least 2). */
  minSize?: number;
  /** Analyse only the last `window` points (default: the whole series); indices stay global. */
  window?: number;
}

/** One detected shift: the series is different from `index` on. */
export interface ChangePoint {
  /** Index of the first point after the change. */
  index: number;
  pValue: number;
  /** The energy statistic Q of the split when it was found. */
  statistic: number;
  /** Means of the segments just before and just after, in the final segmentation. */
  meanBefore: number;
  meanAfter: number;
  /** (meanAfter / meanBefore − 1)·100. */
  changePct: number;
}

/** The most permutations {@link eDivisive} raises to on its own: enough for an alpha down to 1e-4. */
export const MAX_PERMUTATIONS = 10_000;

/**
 * Change points of `series`, ordered by index; an empty list when there are none or too few points.
 * A p-value is never below 1/(permutations + 1), so permutations are raised to the fewest that can
 * reach alpha; an alpha that would need more than {@link MAX_PERMUTATIONS} is a RangeError.
 */
export function eDivisive(series: readonly number[], options: EDivisiveOptions = {}): ChangePoint[] {
  const alpha = options.alpha ?? 0.01;
  const permutations = permutationsFor(alpha, options.permutations ?? 199);
  const minSize = Math.max(2, options.minSize ?? 5);
  if (series.some((x) => !Number.isFinite(x))) throw new RangeError('eDivisive: values must be finite');
  const offset = options.window !== undefined && options.window < series.length ? series.length - options.window : 0;
  const xs = Float64Array.from(series.slice(offset));
  const random = seededRandom(options.seed ?? 1);
  const found: { index: number; pValue: number; statistic: number }[] = [];
  const scratch = new Scratch(xs.length);

  const queue: [number, number][] = [[0, xs.length]];
  while (queue.length > 0) {
    const [start, end] = queue.pop() as [number, number];
    if (end - start < 2 * minSize) continue;
    const segment = xs.subarray(start, end);
    const ranks = rankOf(segment);
    const best = bestSplit(segment, ranks, minSize, scratch);
    if (best.statistic <= 0) continue;
    const pValue = permutationPValue(segment, ranks, best.statistic, minSize, permutations, alpha, random, scratch);
    if (pValue >= alpha) continue;
    found.push({ index: start + best.tau, pValue, statistic: best.statistic });
    queue.push([start, start + best.tau], [start + best.tau, end]);
  }

  found.sort((a, b) => a.index - b.index);
  const bounds = [0, ...found.map((c) => c.index), xs.length];
  return found.map((c, i) => {
    const meanBefore = mean(xs, bounds[i] as number, c.index);
    const meanAfter = mean(xs, c.index, bounds[i + 2] as number);
    return {
      index: c.index + offset,
      pValue: c.pValue,
      statistic: c.statistic,
      meanBefore,
      meanAfter,
      changePct: 100 * (meanAfter / meanBefore - 1),
    };
  });
}

/** `permutations`, or the fewest with 1/(permutations + 1) < alpha when it has fewer. */
function permutationsFor(alpha: number, permutations: number): number {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`eDivisive: 'alpha' must be in (0, 1) but got ${alpha}`);
  let needed = Math.max(1, Math.floor(1 / alpha) - 1);
  while (1 / (needed + 1) >= alpha) needed++;
  if (permutations >= needed) return permutations;
  if (needed > MAX_PERMUTATIONS) {
    throw new RangeError(
      `eDivisive: 'alpha' ${alpha} needs 'permutations' ≥ ${needed} (a p-value is never below 1/(permutations + 1)) but got ${permutations}, ` +
        `and ${MAX_PERMUTATIONS} is the most it raises to; use an alpha of at least ${1 / MAX_PERMUTATIONS} or pass 'permutations' ${needed}`,
    );
  }
  return needed;
}

function mean(xs: Float64Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += xs[i] as number;
  return s / (to - from);
}

/** Reusable buffers, so the permutation loop allocates nothing. */
class Scratch {
  readonly countTree: Int32Array;
  readonly sumTree: Float64Array;
  readonly left: Float64Array;
  readonly right: Float64Array;
  readonly values: Float64Array;
  readonly ranks: Int32Array;
  readonly order: number[];
  constructor(n: number) {
    this.countTree = new Int32Array(n + 1);
    this.sumTree = new Float64Array(n + 1);
    this.left = new Float64Array(n + 1);
    this.right = new Float64Array(n + 1);
    this.values = new Float64Array(n);
    this.ranks = new Int32Array(n);
    this.order = [];
  }
}

/** Rank 1…n of each value (ties broken by position: |x−x| is 0 whichever side a tie falls on). */
function rankOf(values: Float64Array): Int32Array {
  const order = Array.from({ length: values.length }, (_, i) => i);
  order.sort((a, b) => (values[a] as number) - (values[b] as number) || a - b);
  const ranks = new Int32Array(values.length);
  order.forEach((idx, r) => (ranks[idx] = r + 1));
  return ranks;
}

/**
 * Σ_{i<j<t}|xᵢ−xⱼ| for every prefix length t (into out[t]), sweeping forwards or backwards, with
 * Fenwick trees of counts and sums over ranks: each new point adds |x − earlier| in O(log n).
 */
function withinSums(
  values: Float64Array,
  ranks: Int32Array,
  n: number,
  backwards: boolean,
  s: Scratch,
  out: Float64Array,
): void {
  const cnt = s.countTree;
  const sum = s.sumTree;
  cnt.fill(0, 0, n + 1);
  sum.fill(0, 0, n + 1);
  let total = 0;
  let acc = 0;
  out[0] = 0;
  for (let step = 0; step < n; step++) {
    const i = backwards ? n - 1 - step : step;
    const x = values[i] as number;
    const r = ranks[i] as number;
    let c = 0;
    let below = 0;
    for (let j = r; j > 0; j -= j & -j) {
      c += cnt[j] as number;
      below += sum[j] as number;
    }
    // Points seen so far: `c` below x (sum `below`), `step − c` above (sum `total − below`).
    acc += x * c - below + (total - below) - x * (step - c);
    for (let j = r; j <= n; j += j & -j) {
      cnt[j] = (cnt[j] as number) + 1;
      sum[j] = (sum[j] as number) + x;
    }
    total += x;
    out[step + 1] = acc;
  }
}

/** The split τ (size of X) with the largest Q among those leaving minSize points on each side. */
function bestSplit(
  values: Float64Array,
  ranks: Int32Array,
  minSize: number,
  s: Scratch,
): { tau: number; statistic: number } {
  const n = values.length;
  const left = s.left;
  const right = s.right;
  withinSums(values, ranks, n, false, s, left); // left[t]: pairs within the first t points
  withinSums(values, ranks, n, true, s, right); // right[t]: pairs within the last t points
  const all = left[n] as number;
  let bestTau = -1;
  let best = Number.NEGATIVE_INFINITY;
  // Q·n/2 = cross − wx·k/(m−1) − wy·m/(k−1): the same maximiser with two divisions, not five.
  for (let tau = minSize; tau <= n - minSize; tau++) {
    const k = n - tau;
    const wx = left[tau] as number;
    const wy = right[k] as number;
    const q = all - wx - wy - (wx * k) / (tau - 1) - (wy * tau) / (k - 1);
    if (q > best) {
      best = q;
      bestTau = tau;
    }
  }
  best = (2 * best) / n;
  return { tau: bestTau, statistic: best };
}

/** Permutation p-value of the best split's statistic; stops once p ≥ alpha is certain. */
function permutationPValue(
  segment: Float64Array,
  ranks: Int32Array,
  observed: number,
  minSize: number,
  permutations: number,
  alpha: number,
  random: () => number,
  s: Scratch,
): number {
  const n = segment.length;
  const order = s.order;
  order.length = n;
  for (let i = 0; i < n; i++) order[i] = i;
  const values = s.values.subarray(0, n);
  const permRanks = s.ranks.subarray(0, n);
  const tolerance = 1e-12 * Math.abs(observed);
  // p = (atLeast + 1)/(permutations + 1) is ≥ alpha once atLeast reaches this (at least 1: rounding
  // must never let a split through untested).
  const giveUp = Math.max(1, Math.ceil(alpha * (permutations + 1) - 1));
  let atLeast = 0;
  for (let p = 0; p < permutations; p++) {
    shuffleInPlace(order, random);
    for (let i = 0; i < n; i++) {
      const from = order[i] as number;
      values[i] = segment[from] as number;
      permRanks[i] = ranks[from] as number;
    }
    if (bestSplit(values, permRanks, minSize, s).statistic >= observed - tolerance) {
      atLeast++;
      if (atLeast >= giveUp) return (atLeast + 1) / (p + 2);
    }
  }
  return (atLeast + 1) / (permutations + 1);
}
