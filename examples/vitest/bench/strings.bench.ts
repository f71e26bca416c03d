import { bench, describe } from 'vitest';

// Short runs: one run of the harness is one measurement, and benchgate does the rounds.
const quick = { time: 100, warmupTime: 20 };
const words = Array.from({ length: 200 }, (_, i) => `word${i}`);

describe('join', () => {
  bench(
    'Array.join',
    () => {
      words.join(' ');
    },
    quick,
  );

  bench(
    'concat loop',
    () => {
      let s = '';
      for (const w of words) s += w + ' ';
      return s;
    },
    quick,
  );

  describe('with separator', () => {
    bench(
      'comma',
      () => {
        words.join(',');
      },
      quick,
    );
  });
});

bench(
  'split',
  () => {
    'a b c d e f g h i j'.split(' ');
  },
  quick,
);

bench.skip('not ready', () => {
  words.slice();
});
