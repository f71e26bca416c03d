/**
 * Ranks with ties given their average rank (scipy's `rankdata(method='average')`), with the
 * sizes of the tie groups that the normal approximation's variance correction needs.
 */

/** Ranks 1…n of `values` (ties averaged) and the size of every tie group. */
export function averageRanks(values: readonly number[]): { ranks: number[]; tieSizes: number[] } {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => (values[a] as number) - (values[b] as number));
  const ranks = new Array<number>(n).fill(0);
  const tieSizes: number[] = [];
  let i = 0;
  while (i < n) {
    let j = i;
    const v = values[order[i] as number] as number;
    while (j + 1 < n && values[order[j + 1] as number] === v) j++;
    const rank = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) ranks[order[k] as number] = rank;
    tieSizes.push(j - i + 1);
    i = j + 1;
  }
  return { ranks, tieSizes };
}
