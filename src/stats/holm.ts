/**
 * Holm's step-down adjustment: rejecting every adjusted p-value below α keeps the family-wise
 * error rate at most α under any dependence between the tests (R's p.adjust(method = "holm")).
 */

/** Holm-adjusted p-values, in the input's order; NaN stays NaN and does not count in the family. */
export function holm(pValues: readonly number[]): number[] {
  const idx = pValues.map((_, i) => i).filter((i) => !Number.isNaN(pValues[i] as number));
  idx.sort((a, b) => (pValues[a] as number) - (pValues[b] as number));
  const m = idx.length;
  const out = pValues.map(() => Number.NaN);
  let runningMax = 0;
  idx.forEach((original, rank) => {
    runningMax = Math.max(runningMax, Math.min(1, (m - rank) * (pValues[original] as number)));
    out[original] = runningMax;
  });
  return out;
}
