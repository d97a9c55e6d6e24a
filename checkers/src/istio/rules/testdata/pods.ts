import type { V1Deployment, V1Pod } from '@kubernetes/client-node';

/** A pod as the API server returns it, with phase, Ready condition and the proxy in either form (tests only). */
export function pod(
  name: string,
  labels: Record<string, string>,
  o: { ns?: string; phase?: string; ready?: boolean; proxy?: 'native' | 'classic' | 'none'; annotations?: Record<string, string>; terminating?: boolean } = {},
): V1Pod {
  const proxy = o.proxy ?? 'none';
  const proxyContainer = { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.30.3' };
  return {
    metadata: { name, namespace: o.ns ?? 'default', labels, annotations: o.annotations, ...(o.terminating ? { deletionTimestamp: new Date() } : {}) },
    spec: {
      containers: [{ name: 'app', image: 'app' }, ...(proxy === 'classic' ? [proxyContainer] : [])],
      initContainers: proxy === 'native' ? [{ ...proxyContainer, restartPolicy: 'Always' }] : undefined,
    },
    status: { phase: o.phase ?? 'Running', conditions: [{ type: 'Ready', status: (o.ready ?? true) ? 'True' : 'False' }] },
  };
}

export function deployment(name: string, matchLabels: Record<string, string>, ns = 'default'): V1Deployment {
  return { metadata: { name, namespace: ns }, spec: { selector: { matchLabels }, template: { metadata: { labels: matchLabels } } } };
}
