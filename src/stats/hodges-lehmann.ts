/**
 * Hodges–Lehmann location estimate: the median of the Walsh averages, the estimator that goes
 * with the signed-rank test (efficient under normal noise, unmoved by a few 2× outliers).
 */
import { sortedWalshAverages } from './walsh-averages.js';

/** Median of the Walsh averages of `d`; null for an empty array. */
export function hodgesLehmann(d: readonly number[]): number | null {
  if (d.length === 0) return null;
  const w = sortedWalshAverages(d);
  const m = w.length;
  const mid = m >> 1;
  return m % 2 === 1 ? (w[mid] as number) : ((w[mid - 1] as number) + (w[mid] as number)) / 2;
}
