import type { V1Deployment, V1Namespace, V1Pod } from '@kubernetes/client-node';
import { hasIstioProxy, isRunning, selectorMatches, type ClusterReader } from '../../check-api';

export const introNs = 'intro';

/** The Deployment of an app, by meaning: named after it, or selecting/labelled `app=<app>`. */
export function findDeployment(deployments: V1Deployment[], app: string): V1Deployment | undefined {
  return (
    deployments.find((d) => d.metadata?.name === app) ??
    deployments.find((d) => d.spec?.selector?.matchLabels?.['app'] === app || d.metadata?.labels?.['app'] === app)
  );
}

export function isAvailable(d: V1Deployment): boolean {
  const available = d.status?.conditions?.find((c) => c.type === 'Available');
  return available ? available.status === 'True' : (d.status?.availableReplicas ?? 0) > 0;
}

/** Live pods that belong to a Deployment (its selector), old terminating ones excluded. */
export function podsOf(d: V1Deployment, pods: V1Pod[]): V1Pod[] {
  return pods.filter((p) => isRunning(p) && selectorMatches(d.spec?.selector?.matchLabels, p.metadata?.labels));
}

/** The Deployment's pod template already carries the proxy (istioctl kube-inject output). */
export function templateHasProxy(d: V1Deployment): boolean {
  const t = d.spec?.template;
  return hasIstioProxy({ metadata: t?.metadata, spec: t?.spec ?? { containers: [] } });
}

export type InjectionLabels =
  | { state: 'enabled' }
  | { state: 'revision'; revision: string }
  | { state: 'both'; value: string; revision: string }
  | { state: 'wrong-value'; value: string }
  | { state: 'none' };

/** Reads a namespace's injection labels as the injector's webhooks select them. */
export function injectionLabels(ns: V1Namespace | undefined): InjectionLabels {
  const labels = ns?.metadata?.labels ?? {};
  const value = labels['istio-injection'];
  const revision = labels['istio.io/rev'];
  if (value !== undefined && revision !== undefined) return { state: 'both', value, revision };
  if (value === 'enabled') return { state: 'enabled' };
  if (value !== undefined) return { state: 'wrong-value', value };
  if (revision !== undefined) return { state: 'revision', revision };
  return { state: 'none' };
}

export async function readIntro(cluster: ClusterReader) {
  const [ns, deployments, pods] = await Promise.all([cluster.namespace(introNs), cluster.deployments(introNs), cluster.pods(introNs)]);
  return { ns, deployments, pods };
}
