/** Rung 1: the textbook ijk triple loop over number[][], as a first port would write it. */
import type { MatmulFixture } from './fixture.js';

/** Converts a row-major Float64Array into an array of row arrays. */
export function toRows(m: Float64Array, n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from(m.subarray(i * n, (i + 1) * n)));
}

/** C = A·B with ijk loops on nested arrays. */
export function multiplyNaive(a: number[][], b: number[][], n: number): number[][] {
  const c: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    const ai = a[i] as number[];
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += (ai[k] as number) * ((b[k] as number[])[j] as number);
      row.push(sum);
    }
    c.push(row);
  }
  return c;
}

/** Adapts the nested result to the oracle's flat layout. */
export function fromRows(rows: number[][]): Float64Array {
  return Float64Array.from(rows.flat());
}

/** Times the product on nested arrays prepared once from the fixture. */
export function prepareNaive(f: MatmulFixture): { run: () => number[][] } {
  const a = toRows(f.a, f.n);
  const b = toRows(f.b, f.n);
  return { run: () => multiplyNaive(a, b, f.n) };
}
