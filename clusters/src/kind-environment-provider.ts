// One kind cluster per environment on the host's Docker, provisioned by the pipeline.

import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import type { Logger } from 'pino';
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
import {
  diskFiles,
  type HttpAnswer,
  nodeContainer,
  type PipelineEnvironment,
  type PipelineTarget,
  productpageMarkers,
  runPipeline,
} from './provisioning-pipeline';
import { ProvisionError } from './provision-error';

export interface KindEnvironmentProviderOptions {
  config: ClustersConfig;
  logger: Logger;
  runner?: CommandRunner;
  httpGet?: (url: string, timeoutMs: number, signal: AbortSignal) => Promise<HttpAnswer>;
  pollIntervalMs?: number;
  procRoot?: string;
  /** Checks that a host port is free before handing it out (off in tests that fake the ingress). */
  probePorts?: boolean;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export function kubeconfigPathFor(dataDir: string, clusterName: string): string {
  return path.join(dataDir, 'kubeconfigs', `${clusterName}.yaml`);
}

export class KindEnvironmentProvider implements EnvironmentProvider {
  readonly kind = 'kind' as const;
  readonly provisionsInstantly = false;
  readonly ownsClusters = true;
  private readonly runner: CommandRunner;
  private readonly pipelineEnv: PipelineEnvironment;

  constructor(private readonly options: KindEnvironmentProviderOptions) {
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
      httpGet: options.httpGet ?? httpGet,
      ...(options.procRoot ? { procRoot: options.procRoot } : {}),
    };
  }

  static fromConfig(config: ClustersConfig, logger: Logger): KindEnvironmentProvider {
    return new KindEnvironmentProvider({ config, logger });
  }

  clusterNameFor(envId: string): string {
    return `${this.options.config.namePrefix}${envId.replace(/[^a-z0-9]/g, '').slice(0, 12)}`;
  }

  async allocate(env: EnvironmentRecord, taken: readonly EnvironmentRecord[]): Promise<EnvironmentAllocation> {
    const clusterName = this.clusterNameFor(env.id);
    const used = new Set(taken.map((t) => t.httpPort).filter((p): p is number => p !== null));
    const { first, last } = this.options.config.httpPortRange;
    // Ports go in pairs: http on p, https on p + 1 (kind/cluster.yaml).
    for (let port = first; port + 1 <= last; port += 2) {
      if (used.has(port)) continue;
      if (this.options.probePorts !== false && !((await portIsFree(port)) && (await portIsFree(port + 1)))) continue;
      return { clusterName, kubeconfigPath: kubeconfigPathFor(this.options.config.dataDir, clusterName), httpPort: port };
    }
    throw new ProvisionError('allocate', `no free host port pair in CLUSTERS_HTTP_PORT_RANGE ${first}-${last}`, true);
  }

  target(env: EnvironmentRecord): PipelineTarget {
    if (!env.clusterName || !env.kubeconfigPath) {
      throw new ProvisionError('allocate', `environment ${env.id} has no cluster name or kubeconfig path`, false);
    }
    return { provider: 'kind', clusterName: env.clusterName, kubeconfigPath: env.kubeconfigPath, httpPort: env.httpPort };
  }

  async provision(env: EnvironmentRecord, context: ProvisionContext): Promise<void> {
    await runPipeline(this.target(env), this.pipelineEnv, {
      signal: context.signal,
      fromStep: context.fromStep ?? null,
      onStep: (step) => context.onStep(step),
    });
  }

  async destroy(env: EnvironmentRecord): Promise<void> {
    if (!env.clusterName) return;
    // `kind delete cluster` succeeds when the cluster is already gone, which makes this idempotent.
    await this.runner.run(['kind', 'delete', 'cluster', '--name', env.clusterName], { timeoutMs: 180_000 });
    await rm(kubeconfigPathFor(this.options.config.dataDir, env.clusterName), { force: true });
    await rm(path.join(this.options.config.dataDir, 'clusters', env.clusterName), { force: true, recursive: true });
  }

  async listClusters(): Promise<string[]> {
    const r = await this.runner.run(['kind', 'get', 'clusters'], { timeoutMs: 30_000 });
    return r.stdout
      .split('\n')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
  }

  async checkHealth(env: EnvironmentRecord, depth: 'deep' | 'shallow'): Promise<HealthReport> {
    if (!env.clusterName) return { healthy: false, reason: 'no cluster name recorded' };
    const clusters = await this.listClusters();
    if (!clusters.includes(env.clusterName)) return { healthy: false, reason: `cluster ${env.clusterName} no longer exists` };
    if (depth === 'shallow') return { healthy: true };
    const istiod = await this.runner.run(
      ['kubectl', '--kubeconfig', env.kubeconfigPath ?? '', '-n', 'istio-system', 'wait', '--for=condition=Available', 'deploy/istiod', '--timeout=10s'],
      { timeoutMs: 20_000, allowFailure: true },
    );
    if (istiod.code !== 0) return { healthy: false, reason: `istiod not Available: ${istiod.stderr.trim()}` };
    if (env.httpPort !== null) {
      const answer = await (this.options.httpGet ?? httpGet)(`http://127.0.0.1:${env.httpPort}/productpage`, 10_000, AbortSignal.timeout(15_000)).catch(
        (error: unknown) => ({ status: 0, body: error instanceof Error ? error.message : String(error) }),
      );
      if (answer.status !== 200 || !productpageMarkers.every((m) => answer.body.includes(m))) {
        return { healthy: false, reason: `Bookinfo through the ingress answered ${answer.status}` };
      }
    }
    return { healthy: true };
  }

  async inspectOrphan(clusterName: string): Promise<EnvironmentAllocation | null> {
    const r = await this.runner.run(['docker', 'port', nodeContainer(clusterName), '30080/tcp'], { timeoutMs: 20_000, allowFailure: true });
    const port = Number(/:(\d+)\s*$/m.exec(r.stdout.trim())?.[1] ?? Number.NaN);
    if (r.code !== 0 || !Number.isInteger(port)) return null;
    return { clusterName, kubeconfigPath: kubeconfigPathFor(this.options.config.dataDir, clusterName), httpPort: port };
  }

  /** One environment per host port pair in CLUSTERS_HTTP_PORT_RANGE. */
  capacity(): number {
    const { first, last } = this.options.config.httpPortRange;
    return Math.floor((last - first + 1) / 2);
  }
}
