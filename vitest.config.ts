import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two cores: integration tests spawn brokers and client processes of their own.
    maxWorkers: 2,
    // The last line names the tests skipped for a missing program (test/helpers/requirements.ts).
    reporters: ['default', './test/helpers/skip-summary.ts'],
  },
});
