// A provisioner in its own process, for the crash test: it asks for an environment for learner "ada"
// on the database file named by CLUSTERS_DB_PATH, then keeps provisioning until it is killed.

import { loadClustersConfig } from '../clusters-config';
import { ProcessCommandRunner } from '../command-runner';
import { createEnvironmentService } from '../environment-service';
import { migrateEnvironmentStore } from '../environment-store';
import { KindEnvironmentProvider } from '../kind-environment-provider';
import { openSqliteDatabase } from '../sqlite-database';
import { testLogger } from './test-logger';

const config = loadClustersConfig();
const db = openSqliteDatabase(config.dbPath);
await migrateEnvironmentStore(db);
const logger = testLogger();
const provider = new KindEnvironmentProvider({
  config,
  logger,
  runner: new ProcessCommandRunner({ logger }),
  pollIntervalMs: 10,
  probePorts: false,
  ...(process.env.FAKE_PROC_ROOT ? { procRoot: process.env.FAKE_PROC_ROOT } : {}),
});
const service = createEnvironmentService({ db, provider, config, logger, hostMemoryMiB: 64 * 1024 });
const env = await service.assign('ada', 'l01', 'v1');
process.stdout.write(`${JSON.stringify({ environmentId: env.id })}\n`);
setInterval(() => undefined, 60_000);
