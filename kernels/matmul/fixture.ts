/** Matmul fixtures: two dense n×n FP64 matrices, row-major, uniform in [-1, 1) from a seed. */
import { seededRandom } from '../../src/random.js';

/** The operands of one product C = A·B. */
export interface MatmulFixture {
  n: number;
  a: Float64Array;
  b: Float64Array;
}

/** Generates A and B for size n from a seed. */
export function generateMatmul(n: number, seed: number): MatmulFixture {
  const random = seededRandom(seed);
  const a = new Float64Array(n * n);
  const b = new Float64Array(n * n);
  for (let i = 0; i < a.length; i++) a[i] = random() * 2 - 1;
  for (let i = 0; i < b.length; i++) b[i] = random() * 2 - 1;
  return { n, a, b };
}
