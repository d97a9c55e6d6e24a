import type { V1Container, V1Pod } from '@kubernetes/client-node';

export const istioProxyName = 'istio-proxy';

/**
 * The istio-proxy container of a pod, wherever it lives: in `.spec.containers` (classic sidecar) or
 * in `.spec.initContainers` with `restartPolicy: Always` (native sidecar, Istio ≥ 1.27 on kubelet ≥ 1.33).
 */
export function istioProxyContainer(pod: V1Pod): { container: V1Container; native: boolean } | undefined {
  const classic = pod.spec?.containers?.find((c) => c.name === istioProxyName);
  if (classic) return { container: classic, native: false };
  const native = pod.spec?.initContainers?.find((c) => c.name === istioProxyName && c.restartPolicy === 'Always');
  if (native) return { container: native, native: true };
  return undefined;
}

/** True when the pod was injected: a proxy container in either list, or the injector's status annotation. */
export function hasIstioProxy(pod: V1Pod): boolean {
  return istioProxyContainer(pod) !== undefined || sidecarStatusAnnotation(pod) !== undefined;
}

export function sidecarStatusAnnotation(pod: V1Pod): string | undefined {
  return pod.metadata?.annotations?.['sidecar.istio.io/status'];
}

export function podName(pod: V1Pod): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

export function isRunning(pod: V1Pod): boolean {
  return pod.status?.phase === 'Running' && !pod.metadata?.deletionTimestamp;
}

/** The pod's Ready condition (every container, native sidecars included, is ready). */
export function isReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** The first container that is not istio-proxy: where exec probes run their command. */
export function appContainerName(pod: V1Pod): string | undefined {
  return pod.spec?.containers?.find((c) => c.name !== istioProxyName)?.name;
}

/** Pods that are live (Running, not terminating); old ReplicaSet pods during a rollout are dropped. */
export function livePods(pods: V1Pod[]): V1Pod[] {
  return pods.filter(isRunning);
}
