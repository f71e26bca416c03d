import { defineConfig } from 'vitest/config';

// Short benchmarks so that one run of the harness stays quick; benchgate does the rounds.
export default defineConfig({
  test: {
    include: [],
    benchmark: {
      include: ['bench/**/*.bench.ts'],
    },
  },
});
