import { bench, describe } from 'vitest';

const quick = { time: 100, warmupTime: 20 };
const numbers = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);

describe('sort', () => {
  bench(
    'numeric compare',
    () => {
      numbers.slice().sort((a, b) => a - b);
    },
    quick,
  );

  bench(
    'typed array',
    () => {
      Float64Array.from(numbers).sort();
    },
    quick,
  );
});
