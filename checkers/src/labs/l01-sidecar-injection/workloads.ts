import type { V1Deployment } from '@kubernetes/client-node';
import { hasIstioProxy, type ClusterReader } from '../../check-api';

export const introNs = 'intro';

/** The Deployment of an app, by meaning: named after it, or selecting/labelled `app=<app>`. */
export function findDeployment(deployments: V1Deployment[], app: string): V1Deployment | undefined {
  return (
    deployments.find((d) => d.metadata?.name === app) ??
    deployments.find((d) => d.spec?.selector?.matchLabels?.['app'] === app || d.metadata?.labels?.['app'] === app)
  );
}

/** The Deployment's pod template already carries the proxy (istioctl kube-inject output). */
export function templateHasProxy(d: V1Deployment): boolean {
  const t = d.spec?.template;
  return hasIstioProxy({ metadata: t?.metadata, spec: t?.spec ?? { containers: [] } });
}

export async function readNamespace(cluster: ClusterReader, ns: string) {
  const [namespace, deployments, pods] = await Promise.all([
    cluster.namespace(ns),
    cluster.deployments(ns),
    cluster.pods(ns),
  ]);
  return { namespace, deployments, pods };
}
