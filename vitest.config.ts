import { defineConfig } from 'vitest/config';

// Unit and integration tests live next to the code they test; browser journeys have their own config.
export default defineConfig({
  test: {
    include: ['{labs,checkers,clusters,apps,scripts}/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/.next/**', 'clusters/real/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['./vitest.postgres-setup.ts'],
    // CI collects a JSON report per suite for the one-line summary (.ci/run).
    reporters: process.env.WORKSHOP_TEST_REPORT_DIR
      ? ['default', ['json', { outputFile: `${process.env.WORKSHOP_TEST_REPORT_DIR}/unit.json` }]]
      : ['default'],
  },
});
