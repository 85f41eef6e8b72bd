import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The browser test builds the site and crawls it in Chromium: about 20 seconds on 2 cores.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
