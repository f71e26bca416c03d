/** Rung 1: push each selected index onto a growing JS array, as a first port would. */
import type { SelectFixture, Selection } from './fixture.js';

/** Selects into a fresh array that grows as it goes. */
export function selectPush({ cloud, query: q }: SelectFixture): number[] {
  const out: number[] = [];
  let base = 0;
  for (const { x, y, value } of cloud.chunks) {
    for (let i = 0; i < x.length; i++) {
      const xi = x[i] as number;
      const yi = y[i] as number;
      const vi = value[i] as number;
      if (xi >= q.xMin && xi < q.xMax && yi >= q.yMin && yi < q.yMax && vi >= q.vMin && vi < q.vMax) out.push(base + i);
    }
    base += x.length;
  }
  return out;
}

/** Adapts the array to the oracle's shape. */
export function asSelection(indices: number[]): Selection {
  return { indices: Uint32Array.from(indices), count: indices.length };
}
