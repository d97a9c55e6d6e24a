import { defineConfig } from 'vitest/config';

// The real-cluster suite: creates a kind cluster on this host's Docker, provisions it, runs every lab's
// solutions and checks, deletes it. Minutes, not seconds: run it on a Docker host or in CI
// (.github/workflows/real-clusters.yml). It skips itself, saying why, when `docker info` fails.
export default defineConfig({
  test: {
    include: ['real/**/*.real.test.ts'],
    testTimeout: 45 * 60_000,
    hookTimeout: 45 * 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
