/**
 * Walsh averages (dᵢ + dⱼ)/2 for i ≤ j: the Hodges–Lehmann estimate is their median and the
 * signed-rank confidence interval is a pair of their order statistics.
 */

/** All n(n+1)/2 Walsh averages of `d`, sorted ascending. */
export function sortedWalshAverages(d: readonly number[]): Float64Array {
  const n = d.length;
  const out = new Float64Array((n * (n + 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const di = d[i] as number;
    for (let j = i; j < n; j++) out[k++] = (di + (d[j] as number)) / 2;
  }
  return out.sort();
}
