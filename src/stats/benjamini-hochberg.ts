/**
 * Benjamini–Hochberg step-up adjustment: rejecting adjusted p-values below q keeps the false
 * discovery rate at most q for independent or positively dependent tests (R's p.adjust "BH").
 */

/** BH-adjusted p-values, in the input's order; NaN stays NaN and does not count in the family. */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const idx = pValues.map((_, i) => i).filter((i) => !Number.isNaN(pValues[i] as number));
  idx.sort((a, b) => (pValues[a] as number) - (pValues[b] as number));
  const m = idx.length;
  const out = pValues.map(() => Number.NaN);
  let runningMin = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const original = idx[rank] as number;
    runningMin = Math.min(runningMin, (m / (rank + 1)) * (pValues[original] as number));
    out[original] = runningMin;
  }
  return out;
}
