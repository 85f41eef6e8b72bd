import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The integration suites run real brokers, servers and bridges: one file at a time on a small machine.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
  },
});
