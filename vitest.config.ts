import { defineConfig } from 'vitest/config';

// Integration tests start real processes (workers, HTTP servers, Chromium), so they get
// generous timeouts; unit tests are fast anyway.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
