/**
 * Percentile-bootstrap confidence interval for a median: resample with replacement, take the
 * median of each resample, read the α/2 and 1−α/2 quantiles (numpy's linear rule) of those.
 */
import { median, quantileSorted } from 'simple-statistics';
import { seededRandom } from '../random.js';

/** Options of {@link bootstrapMedianInterval}. */
export interface BootstrapOptions {
  /** Resamples drawn (default 2,000). */
  iterations?: number;
  /** Seed of the resampling, so an interval can be reproduced (default 1). */
  seed?: number;
}

/** The sample median and its bootstrap interval. */
export interface MedianInterval {
  estimate: number;
  low: number;
  high: number;
}

/** Percentile-bootstrap interval of the median of `values`; null for fewer than 2 values. */
export function bootstrapMedianInterval(
  values: readonly number[],
  confidence = 0.95,
  options: BootstrapOptions = {},
): MedianInterval | null {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const iterations = options.iterations ?? 2000;
  if (!(Number.isInteger(iterations) && iterations > 0))
    throw new RangeError(`iterations must be a positive integer, got ${iterations}`);
  const n = values.length;
  if (n < 2) return null;
  const random = seededRandom(options.seed ?? 1);
  const medians = new Array<number>(iterations);
  const resample = new Array<number>(n);
  for (let it = 0; it < iterations; it++) {
    for (let i = 0; i < n; i++) resample[i] = values[Math.floor(random() * n)] as number;
    medians[it] = median(resample);
  }
  medians.sort((a, b) => a - b);
  const alpha = 1 - confidence;
  return {
    estimate: median(values as number[]),
    low: quantileSorted(medians, alpha / 2),
    high: quantileSorted(medians, 1 - alpha / 2),
  };
}
