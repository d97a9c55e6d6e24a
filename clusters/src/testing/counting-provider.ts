// Wraps a provider to observe how many provisions run at once (the concurrency cap under test).

import type { EnvironmentProvider } from '../environment-provider';

export interface CountingProvider extends EnvironmentProvider {
  readonly maxConcurrent: number;
}

export function countingProvider(inner: EnvironmentProvider): CountingProvider {
  let active = 0;
  let max = 0;
  return {
    kind: inner.kind,
    ownsClusters: inner.ownsClusters,
    provisionsInstantly: inner.provisionsInstantly,
    get maxConcurrent() {
      return max;
    },
    allocate: (env, taken) => inner.allocate(env, taken),
    async provision(env, context) {
      active += 1;
      max = Math.max(max, active);
      try {
        await inner.provision(env, context);
      } finally {
        active -= 1;
      }
    },
    destroy: (env) => inner.destroy(env),
    checkHealth: (env, depth) => inner.checkHealth(env, depth),
    listClusters: () => inner.listClusters(),
    inspectOrphan: (name) => inner.inspectOrphan(name),
    capacity: () => inner.capacity(),
  };
}
