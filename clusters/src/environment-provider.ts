// The one interface behind which every source of environments sits (local, kind, existing; later vcluster).
// The service owns state and ordering; a provider only does the side effects it is asked for.

import type { EnvironmentRecord, ProviderKind } from './environment-store';

/** Where an environment lives; persisted on the row before any side effect uses it. */
export interface EnvironmentAllocation {
  clusterName: string | null;
  kubeconfigPath: string | null;
  httpPort: number | null;
}

export interface ProvisionContext {
  signal: AbortSignal;
  /** Called (and awaited: it persists) before each pipeline step starts. */
  onStep(step: string): Promise<void>;
  /** Resume from this step (the one that failed last time); earlier steps are taken as done. */
  fromStep?: string | null;
}

export interface HealthReport {
  healthy: boolean;
  reason?: string;
}

export interface EnvironmentProvider {
  readonly kind: ProviderKind;
  /**
   * True when every cluster this provider lists was made by us (kind): one without a row is an orphan to
   * adopt or delete. False for `existing`, whose unassigned clusters are simply free.
   */
  readonly ownsClusters: boolean;
  /** True when provisioning is immediate (no cluster to build): assign() then waits for it inline. */
  readonly provisionsInstantly: boolean;
  /** Picks a cluster name / kubeconfig / ports not used by any of `taken` (live environments). */
  allocate(env: EnvironmentRecord, taken: readonly EnvironmentRecord[]): Promise<EnvironmentAllocation>;
  /** Runs the provisioning pipeline. Throws `ProvisionError` (with the step and whether a retry may help). */
  provision(env: EnvironmentRecord, context: ProvisionContext): Promise<void>;
  /** Removes the cluster (or returns the slot). Idempotent: deleting what is gone succeeds. */
  destroy(env: EnvironmentRecord): Promise<void>;
  /** Deep check for pool environments; `shallow` only asks whether the cluster still exists. */
  checkHealth(env: EnvironmentRecord, depth: 'deep' | 'shallow'): Promise<HealthReport>;
  /** Names of clusters this provider manages that exist right now, or null when it has none (local). */
  listClusters(): Promise<string[] | null>;
  /** Looks at an existing cluster nobody owns, for adoption; null when it cannot be adopted. */
  inspectOrphan(clusterName: string): Promise<EnvironmentAllocation | null>;
  /** Upper bound of environments this provider can hold at once, or null when only config limits it. */
  capacity(): number | null;
}
