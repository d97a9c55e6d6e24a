// Wiring for tests and benchmarks of the kind/existing providers against the fake host.

import path from 'node:path';
import type { Kysely } from 'kysely';
import { type ClustersConfig, loadClustersConfig } from '../clusters-config';
import { ProcessCommandRunner } from '../command-runner';
import { createEnvironmentService, type EnvironmentService } from '../environment-service';
import type { EnvironmentProvider } from '../environment-provider';
import { migrateEnvironmentStore } from '../environment-store';
import { type ExistingCluster, ExistingEnvironmentProvider } from '../existing-environment-provider';
import { KindEnvironmentProvider } from '../kind-environment-provider';
import { createFakeHost, type FakeHost } from './fake-host';
import { openSqliteDatabase } from '../sqlite-database';
import { testLogger } from './test-logger';

export interface Testbed {
  host: FakeHost;
  config: ClustersConfig;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>;
  kind(overrides?: Partial<ConstructorParameters<typeof KindEnvironmentProvider>[0]>): KindEnvironmentProvider;
  existing(clusters: ExistingCluster[]): ExistingEnvironmentProvider;
  service(provider: EnvironmentProvider, extra?: { now?: () => Date; hostMemoryMiB?: number }): EnvironmentService;
  close(): Promise<void>;
}

export async function createTestbed(
  env: Record<string, string> = {},
  options: { dbFile?: string; ingressPairs?: number } = {},
): Promise<Testbed> {
  const host = await createFakeHost(options.ingressPairs ? { ingressPairs: options.ingressPairs } : {});
  const config = loadClustersConfig({
    CLUSTERS_PROVIDER: 'kind',
    CLUSTERS_DATA_DIR: path.join(host.dir, 'data'),
    CLUSTERS_HTTP_PORT_RANGE: `${host.portRange.first}-${host.portRange.last}`,
    // Generous: timeouts only matter when a double hangs on purpose, and CI hosts can be busy.
    CLUSTERS_TIMEOUT_SCALE: '0.2',
    CLUSTERS_POOL_SIZE: '0',
    PATH: host.env.PATH ?? '',
    ...env,
  });
  const db = openSqliteDatabase(options.dbFile ?? ':memory:');
  await migrateEnvironmentStore(db);
  const logger = testLogger();
  const runner = new ProcessCommandRunner({ logger, env: host.env });
  const services: EnvironmentService[] = [];
  return {
    host,
    config,
    db,
    kind: (overrides = {}) =>
      new KindEnvironmentProvider({
        config,
        logger,
        runner,
        pollIntervalMs: 10,
        probePorts: false,
        procRoot: host.procRoot,
        ...overrides,
      }),
    existing: (clusters) =>
      new ExistingEnvironmentProvider({
        config: { ...config, provider: 'existing' },
        logger,
        clusters,
        runner,
        pollIntervalMs: 10,
      }),
    service(provider, extra = {}) {
      const s = createEnvironmentService({
        db,
        provider,
        config: { ...config, provider: provider.kind },
        logger,
        hostMemoryMiB: extra.hostMemoryMiB ?? 64 * 1024,
        ...(extra.now ? { now: extra.now } : {}),
      });
      services.push(s);
      return s;
    },
    async close() {
      await Promise.all(services.map((s) => s.stop()));
      await db.destroy();
      await host.close();
    },
  };
}
