// No cluster of its own: the terminal is a sandboxed local shell with an optional kubeconfig.
// Ready at once, so the pool never needs to warm anything for it.

import { access } from 'node:fs/promises';
import type { ClustersConfig } from './clusters-config';
import type {
  EnvironmentAllocation,
  EnvironmentProvider,
  HealthReport,
  ProvisionContext,
} from './environment-provider';
import type { EnvironmentRecord } from './environment-store';
import { ProvisionError } from './provision-error';

export class LocalEnvironmentProvider implements EnvironmentProvider {
  readonly kind = 'local' as const;
  readonly provisionsInstantly = true;
  readonly ownsClusters = false;

  constructor(private readonly kubeconfigPath: string | null) {}

  static fromConfig(config: Pick<ClustersConfig, 'localKubeconfigPath'>): LocalEnvironmentProvider {
    return new LocalEnvironmentProvider(config.localKubeconfigPath);
  }

  async allocate(): Promise<EnvironmentAllocation> {
    return { clusterName: null, kubeconfigPath: this.kubeconfigPath, httpPort: null };
  }

  async provision(env: EnvironmentRecord, context: ProvisionContext): Promise<void> {
    await context.onStep('ready-local');
    if (env.kubeconfigPath) {
      try {
        await access(env.kubeconfigPath);
      } catch {
        throw new ProvisionError('ready-local', `kubeconfig ${env.kubeconfigPath} (CLUSTERS_LOCAL_KUBECONFIG) is not readable`, false);
      }
    }
  }

  async destroy(): Promise<void> {
    // Nothing to remove: the sandboxed home belongs to the terminal gateway.
  }

  async checkHealth(): Promise<HealthReport> {
    return { healthy: true };
  }

  async listClusters(): Promise<null> {
    return null;
  }

  async inspectOrphan(): Promise<null> {
    return null;
  }

  capacity(): null {
    return null;
  }
}
