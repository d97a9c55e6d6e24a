import { defineConfig } from 'vitest/config';

// Browser journeys: one platform per file, run one file at a time (2 cores; Chromium is heavy).
export default defineConfig({
  test: {
    include: ['e2e/journeys/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    fileParallelism: false,
    pool: 'forks',
    reporters: process.env.WORKSHOP_TEST_REPORT_DIR
      ? ['default', ['json', { outputFile: `${process.env.WORKSHOP_TEST_REPORT_DIR}/e2e.json` }]]
      : ['default'],
  },
});
