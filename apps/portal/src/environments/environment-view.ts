import { lifetimeLimit, provisioningProgress, type ClustersConfig, type EnvironmentRecord } from '@istio-workshop/clusters';
import type { EnvironmentView } from '../components/lab-workspace';

/** What the browser may know about an environment (no kubeconfig paths, no cluster names). */
export function environmentView(env: EnvironmentRecord, clusters: Pick<ClustersConfig, 'maxLifetimeMinutes'>): EnvironmentView {
  return {
    id: env.id,
    status: env.status,
    provider: env.provider,
    hasCluster: Boolean(env.kubeconfigPath),
    step: env.step ?? null,
    stepNumber: provisioningProgress(env).stepNumber,
    stepCount: provisioningProgress(env).stepCount,
    stepStartedAt: env.stepStartedAt ?? null,
    failureReason: env.failureReason ?? null,
    expiresAt: env.status === 'assigned' ? (env.expiresAt ?? null) : null,
    endsAtLatest: env.status === 'assigned' ? lifetimeLimit(env, clusters) : null,
  };
}
