// Crash recovery: compare the rows with the clusters that really exist and converge. Runs at start,
// before the pool loop, so nothing it looks at is being worked on by this process.

import type { Logger } from 'pino';
import type { ClustersConfig } from './clusters-config';
import type { EnvironmentProvider } from './environment-provider';
import { liveStatuses } from './environment-state';
import type { EnvironmentRecord, EnvironmentStore } from './environment-store';
import type { EnvironmentCapacity } from './host-capacity';

export interface ReconcileReport {
  /** Clusters that existed with our prefix but had no row: taken into the pool (re-verified by the pipeline). */
  adopted: string[];
  /** Clusters with no row that were deleted (no capacity, or adoption off / impossible). */
  deletedOrphans: string[];
  /** Provisions interrupted by a stop or crash, resumed from their step. */
  resumed: string[];
  /** Environments failed with a reason (cluster gone, attempts used up). */
  failed: string[];
  /** Environments sent to deletion. */
  expired: string[];
  /** Why the cluster list could not be read, if it could not (rows are then left alone). */
  clusterListError: string | null;
}

export interface ReconcileOptions {
  store: EnvironmentStore;
  provider: EnvironmentProvider;
  config: Pick<ClustersConfig, 'provisionAttempts' | 'namePrefix' | 'adoptOrphans'>;
  logger: Logger;
  capacity: EnvironmentCapacity;
  isBusy(envId: string): boolean;
  resume(env: EnvironmentRecord): void;
  expire(env: EnvironmentRecord, why: string): void;
}

export async function reconcileEnvironments(options: ReconcileOptions): Promise<ReconcileReport> {
  const { store, provider, config, logger } = options;
  const report: ReconcileReport = { adopted: [], deletedOrphans: [], resumed: [], failed: [], expired: [], clusterListError: null };
  let clusters: string[] | null = null;
  try {
    clusters = await provider.listClusters();
  } catch (error) {
    report.clusterListError = error instanceof Error ? error.message : String(error);
    logger.error({ err: error }, 'reconcile: cannot list clusters; leaving cluster-backed rows alone');
  }
  const rows = await store.list({ status: liveStatuses, provider: provider.kind });

  const failAndExpire = async (env: EnvironmentRecord, reason: string) => {
    const failed = await store.transition(env.id, 'failed', { failureReason: reason, attempts: config.provisionAttempts }, env.status);
    report.failed.push(env.id);
    report.expired.push(env.id);
    logger.warn({ environmentId: env.id, reason, learnerId: env.learnerId }, 'reconcile: environment failed');
    options.expire(failed, reason);
  };

  for (const env of rows) {
    if (options.isBusy(env.id)) continue;
    const gone = clusters !== null && env.clusterName !== null && !clusters.includes(env.clusterName);
    switch (env.status) {
      case 'requested':
        break; // the pool loop starts it
      case 'provisioning': {
        const reason = `provisioning stopped during step ${env.step ?? '(none)'}: the provisioner restarted`;
        const failed = await store.transition(env.id, 'failed', { failureReason: reason }, 'provisioning');
        if (failed.attempts < config.provisionAttempts) {
          report.resumed.push(env.id);
          logger.info({ environmentId: env.id, step: env.step, attempt: failed.attempts }, 'reconcile: resuming provision');
          options.resume(failed);
        } else {
          report.failed.push(env.id);
          report.expired.push(env.id);
          options.expire(failed, `${reason}; attempts used up`);
        }
        break;
      }
      case 'ready':
      case 'assigned':
        if (gone) await failAndExpire(env, `cluster ${env.clusterName} no longer exists`);
        break;
      case 'failed':
        if (env.attempts < config.provisionAttempts && !gone) {
          report.resumed.push(env.id);
          options.resume(env);
        } else {
          report.expired.push(env.id);
          options.expire(env, env.failureReason ?? 'failed');
        }
        break;
      case 'expiring':
        report.expired.push(env.id);
        options.expire(env, 'deletion interrupted by a restart');
        break;
      default:
        break;
    }
  }

  if (clusters !== null && provider.ownsClusters) {
    const owned = new Set(rows.map((r) => r.clusterName).filter((n): n is string => n !== null));
    let live = rows.length;
    for (const name of clusters) {
      // Only clusters named with our prefix are ours to touch; anything else on the host is left alone.
      if (!name.startsWith(config.namePrefix) || owned.has(name)) continue;
      const allocation = config.adoptOrphans && live < options.capacity.max ? await provider.inspectOrphan(name) : null;
      if (allocation) {
        const env = await store.create({ provider: provider.kind, ...allocation });
        live += 1;
        report.adopted.push(name);
        logger.info({ environmentId: env.id, clusterName: name }, 'reconcile: adopting orphan cluster (the pipeline re-verifies it)');
      } else {
        // Recorded as a row first, so the deletion itself is crash-safe like any other.
        const env = await store.create({ provider: provider.kind, clusterName: name, kubeconfigPath: null });
        const expiring = await store.transition(env.id, 'expiring', { failureReason: 'orphan cluster with no environment row' });
        report.deletedOrphans.push(name);
        logger.warn({ environmentId: env.id, clusterName: name }, 'reconcile: deleting orphan cluster');
        options.expire(expiring, 'orphan cluster');
      }
    }
  }
  return report;
}
