import {
  createEnvironmentProvider,
  createEnvironmentService,
  describeDatabaseLocation,
  environmentMigrations,
  loadClustersConfig,
  type ClustersConfig,
  type EnvironmentService,
} from '@istio-workshop/clusters';
import type { Kysely } from 'kysely';
import type { PortalDatabase } from './db/database-schema';
import { openDatabase } from './db/open-database';
import { applyPrewarm, schedulePrewarm } from './cohorts/apply-prewarm';
import { LocalProgressBus, PostgresProgressBus, type ProgressBus } from './cohorts/progress-events';
import { compileLesson } from './labs/compile-lesson';
import { failInterruptedSetups } from './labs/lab-setup';
import { labCatalog } from './labs/lab-catalog';
import { logger } from './observability/logger';
import { portalConfig, type PortalConfig } from './portal-config';

export interface PortalServices {
  config: PortalConfig;
  db: Kysely<PortalDatabase>;
  environments: EnvironmentService;
  clusters: ClustersConfig;
  /** Learner events for instructors' live grids; across replicas when the database is PostgreSQL. */
  progress: ProgressBus;
}

// Kept on globalThis so that dev-mode module reloads reuse one DB handle and one pool loop.
const holder = globalThis as unknown as { __workshopPortal?: Promise<PortalServices> };

async function create(): Promise<PortalServices> {
  const config = portalConfig();
  // Fail at start, naming the file and field or line, if any lab or lesson is broken.
  await Promise.all(labCatalog().labs.map((lab) => compileLesson(lab)));
  const db = await openDatabase(config.database, environmentMigrations);
  const clustersConfig = loadClustersConfig(process.env, config.repoRoot);
  const log = logger().child({ component: 'environments' });
  const environments = createEnvironmentService({
    db,
    provider: createEnvironmentProvider(clustersConfig, log),
    config: clustersConfig,
    logger: log,
  });
  await environments.start();
  await failInterruptedSetups(db);
  await applyPrewarm(db, environments, config.PORTAL_PREWARM_LEAD_MINUTES);
  schedulePrewarm(db, environments, config.PORTAL_PREWARM_LEAD_MINUTES);
  const progress = config.database.kind === 'postgres' ? await PostgresProgressBus.connect(config.database.url) : new LocalProgressBus();
  logger().info({ database: describeDatabaseLocation(config.database), provider: clustersConfig.provider }, 'portal services started');
  return { config, db, environments, clusters: clustersConfig, progress };
}

/** The portal's long-lived services, created once per process on first use. */
export function portal(): Promise<PortalServices> {
  holder.__workshopPortal ??= create().catch((error: unknown) => {
    holder.__workshopPortal = undefined;
    logger().fatal({ err: error }, 'portal services could not start');
    throw error;
  });
  return holder.__workshopPortal;
}
