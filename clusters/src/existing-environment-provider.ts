// Clusters made elsewhere (a cloud, a lab room), listed in a YAML file of kubeconfigs. The same pipeline
// installs only what is missing on each; a released cluster is scrubbed of learner config and reused.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { parse } from 'yaml';
import { z } from 'zod';
import type { ClustersConfig } from './clusters-config';
import { type CommandRunner, ProcessCommandRunner } from './command-runner';
import type {
  EnvironmentAllocation,
  EnvironmentProvider,
  HealthReport,
  ProvisionContext,
} from './environment-provider';
import type { EnvironmentRecord } from './environment-store';
import { httpGet } from './http-get';
import { diskFiles, type PipelineEnvironment, runPipeline } from './provisioning-pipeline';
import { ProvisionError } from './provision-error';

export const existingClustersFileSchema = z.object({
  clusters: z
    .array(
      z.object({
        name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected a DNS-label-like name ([a-z0-9-], ≤ 63 chars)'),
        kubeconfig: z.string().min(1, 'expected a kubeconfig file path'),
      }),
    )
    .min(1, 'list at least one cluster')
    .refine((list) => new Set(list.map((c) => c.name)).size === list.length, 'cluster names must be unique'),
});

export interface ExistingCluster {
  name: string;
  kubeconfigPath: string;
}

/** Reads and validates the file; kubeconfig paths resolve relative to the file. */
export function loadExistingClusters(file: string): ExistingCluster[] {
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: cannot read existing-cluster list: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = existingClustersFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return parsed.data.clusters.map((c) => ({ name: c.name, kubeconfigPath: path.resolve(path.dirname(file), c.kubeconfig) }));
}

/** Kinds a learner creates in the labs; removed from a cluster before the next learner gets it. */
export const learnerConfigKinds = [
  'virtualservices.networking.istio.io',
  'destinationrules.networking.istio.io',
  'gateways.networking.istio.io',
  'serviceentries.networking.istio.io',
  'sidecars.networking.istio.io',
  'peerauthentications.security.istio.io',
  'requestauthentications.security.istio.io',
  'authorizationpolicies.security.istio.io',
  'telemetries.telemetry.istio.io',
];

export interface ExistingEnvironmentProviderOptions {
  config: ClustersConfig;
  logger: Logger;
  clusters: ExistingCluster[];
  runner?: CommandRunner;
  pollIntervalMs?: number;
}

export class ExistingEnvironmentProvider implements EnvironmentProvider {
  readonly kind = 'existing' as const;
  readonly provisionsInstantly = false;
  readonly ownsClusters = false;
  private readonly runner: CommandRunner;
  private readonly pipelineEnv: PipelineEnvironment;

  constructor(private readonly options: ExistingEnvironmentProviderOptions) {
    this.runner = options.runner ?? new ProcessCommandRunner({ logger: options.logger });
    this.pipelineEnv = {
      runner: this.runner,
      logger: options.logger,
      dataDir: options.config.dataDir,
      timeoutScale: options.config.timeoutScale,
      skipSteps: options.config.skipSteps,
      pollIntervalMs: options.pollIntervalMs ?? 2000,
      memoryPerClusterMiB: options.config.memoryPerClusterMiB,
      reservedMemoryMiB: options.config.reservedMemoryMiB,
      files: diskFiles,
      httpGet,
    };
  }

  static fromConfig(config: ClustersConfig, logger: Logger): ExistingEnvironmentProvider {
    if (!config.existingConfigPath) throw new Error('CLUSTERS_EXISTING_CONFIG is not set');
    return new ExistingEnvironmentProvider({ config, logger, clusters: loadExistingClusters(config.existingConfigPath) });
  }

  async allocate(_env: EnvironmentRecord, taken: readonly EnvironmentRecord[]): Promise<EnvironmentAllocation> {
    const used = new Set(taken.map((t) => t.clusterName));
    const free = this.options.clusters.find((c) => !used.has(c.name));
    if (!free) throw new ProvisionError('allocate', `all ${this.options.clusters.length} existing clusters are in use`, true);
    return { clusterName: free.name, kubeconfigPath: free.kubeconfigPath, httpPort: null };
  }

  async provision(env: EnvironmentRecord, context: ProvisionContext): Promise<void> {
    if (!env.clusterName || !env.kubeconfigPath) throw new ProvisionError('allocate', `environment ${env.id} has no cluster`, false);
    await runPipeline(
      { provider: 'existing', clusterName: env.clusterName, kubeconfigPath: env.kubeconfigPath, httpPort: null },
      this.pipelineEnv,
      { signal: context.signal, fromStep: context.fromStep ?? null, onStep: (step) => context.onStep(step) },
    );
  }

  /** The cluster is not ours to delete: remove what learners create so the next one starts clean. */
  async destroy(env: EnvironmentRecord): Promise<void> {
    if (!env.kubeconfigPath) return;
    await this.runner.run(
      ['kubectl', '--kubeconfig', env.kubeconfigPath, 'delete', learnerConfigKinds.join(','), '--all', '--all-namespaces', '--ignore-not-found', '--wait=false'],
      { timeoutMs: 120_000 },
    );
  }

  async checkHealth(env: EnvironmentRecord, depth: 'deep' | 'shallow'): Promise<HealthReport> {
    if (!env.kubeconfigPath || !this.options.clusters.some((c) => c.name === env.clusterName)) {
      return { healthy: false, reason: `cluster ${env.clusterName ?? '?'} is no longer in ${this.options.config.existingConfigPath ?? 'the list'}` };
    }
    const kc = ['kubectl', '--kubeconfig', env.kubeconfigPath];
    const ready = await this.runner.run([...kc, 'get', '--raw', '/readyz'], { timeoutMs: 20_000, allowFailure: true });
    if (ready.code !== 0) return { healthy: false, reason: `API server not ready: ${ready.stderr.trim()}` };
    if (depth === 'shallow') return { healthy: true };
    const istiod = await this.runner.run([...kc, '-n', 'istio-system', 'wait', '--for=condition=Available', 'deploy/istiod', '--timeout=10s'], {
      timeoutMs: 20_000,
      allowFailure: true,
    });
    return istiod.code === 0 ? { healthy: true } : { healthy: false, reason: `istiod not Available: ${istiod.stderr.trim()}` };
  }

  async listClusters(): Promise<string[]> {
    return this.options.clusters.map((c) => c.name);
  }

  async inspectOrphan(): Promise<null> {
    return null;
  }

  capacity(): number {
    return this.options.clusters.length;
  }
}
