/**
 * The select oracle: a plain loop over the points. Comparisons are exact, so every implementation
 * must return exactly the same indices in the same (ascending) order: the tolerance is zero.
 */
import type { SelectFixture, Selection } from './fixture.js';

/** Reference selection. */
export function referenceSelect({ cloud, query: q }: SelectFixture): number[] {
  const out: number[] = [];
  let base = 0;
  for (const c of cloud.chunks) {
    for (let i = 0; i < c.x.length; i++) {
      const x = c.x[i] as number;
      const y = c.y[i] as number;
      const v = c.value[i] as number;
      if (x >= q.xMin && x < q.xMax && y >= q.yMin && y < q.yMax && v >= q.vMin && v < q.vMax) out.push(base + i);
    }
    base += c.x.length;
  }
  return out;
}

/** Returns null when `got` is exactly the reference selection, else the first difference. */
export function checkSelection(fixture: SelectFixture, got: Selection): string | null {
  const ref = referenceSelect(fixture);
  if (got.count !== ref.length) return `selected ${got.count} points, expected ${ref.length}`;
  for (let k = 0; k < ref.length; k++) {
    if (got.indices[k] !== ref[k]) return `entry ${k}: index ${got.indices[k]}, expected ${ref[k]}`;
  }
  return null;
}
