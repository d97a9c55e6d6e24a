// What the terminal gateway spawns for an environment. The gateway owns the pty; we only say where to go.

import { createHash } from 'node:crypto';
import { httpsPortFor } from './cluster-manifests';
import type { EnvironmentRecord } from './environment-store';

/** The cluster's ingress gateway as the terminal gateway's host reaches it. */
export interface IngressEndpoint {
  host: string;
  httpPort: number;
  httpsPort?: number;
}

export interface LocalTerminalTarget {
  kind: 'local';
  /** Directory-safe learner key ([a-z0-9-]{1,64}) for the sandboxed private home. */
  home: string;
  kubeconfig?: string;
  /** Relayed into the sandbox (its only way out besides the API server) and named by $GATEWAY_URL. */
  ingress?: IngressEndpoint;
}

export interface KubectlExecTerminalTarget {
  kind: 'kubectl-exec';
  kubeconfig: string;
  namespace: 'toolbox';
  pod: 'deploy/toolbox';
  container: 'toolbox';
  /** tmux keeps the learner's shell alive inside the pod across gateway restarts and reconnects. */
  command: ['tmux', 'new-session', '-A', '-s', 'learner'];
}

export type TerminalTarget = LocalTerminalTarget | KubectlExecTerminalTarget;

/**
 * A stable, path-safe key for a learner id of any shape (uuid, email, ...): a readable slug plus a short
 * hash of the full id, so two ids that slug alike never share a home.
 */
export function learnerKey(learnerId: string): string {
  if (learnerId.length === 0) throw new Error('learnerKey: learner id is empty');
  const slug = learnerId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
  const hash = createHash('sha256').update(learnerId).digest('hex').slice(0, 12);
  return slug ? `${slug}-${hash}` : hash;
}

export class NoTerminalTargetError extends Error {
  override readonly name = 'NoTerminalTargetError';
}

/**
 * Where a local shell reaches the ingress: the host ports a kind cluster maps (HTTP, and HTTPS on
 * the next port), else the configured ingress URL of a cluster the platform did not create.
 */
export function ingressEndpointFor(env: Pick<EnvironmentRecord, 'httpPort'>, ingressUrl?: string): IngressEndpoint | undefined {
  if (env.httpPort) return { host: '127.0.0.1', httpPort: env.httpPort, httpsPort: httpsPortFor(env.httpPort) };
  if (!ingressUrl) return undefined;
  const url = new URL(ingressUrl);
  if (url.protocol !== 'http:') return undefined;
  return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), httpPort: url.port ? Number(url.port) : 80 };
}

export function terminalTargetFor(env: EnvironmentRecord, options: { ingressUrl?: string | undefined } = {}): TerminalTarget {
  if (env.status !== 'assigned') {
    throw new NoTerminalTargetError(`environment ${env.id} is ${env.status}, not assigned: no terminal to open`);
  }
  if (env.provider === 'local') {
    if (!env.learnerId) throw new NoTerminalTargetError(`environment ${env.id} has no learner`);
    // Without a cluster there is no ingress to reach.
    const ingress = env.kubeconfigPath ? ingressEndpointFor(env, options.ingressUrl) : undefined;
    return {
      kind: 'local',
      home: learnerKey(env.learnerId),
      ...(env.kubeconfigPath ? { kubeconfig: env.kubeconfigPath } : {}),
      ...(ingress ? { ingress } : {}),
    };
  }
  if (!env.kubeconfigPath) {
    throw new NoTerminalTargetError(`environment ${env.id} (${env.provider}) has no kubeconfig path`);
  }
  return {
    kind: 'kubectl-exec',
    kubeconfig: env.kubeconfigPath,
    namespace: 'toolbox',
    pod: 'deploy/toolbox',
    container: 'toolbox',
    command: ['tmux', 'new-session', '-A', '-s', 'learner'],
  };
}
