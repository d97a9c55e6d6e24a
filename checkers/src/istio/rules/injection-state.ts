import type { V1Namespace, V1ObjectMeta, V1Pod } from '@kubernetes/client-node';
import { istioProxyContainer, isReady, sidecarStatusAnnotation } from '../../pods';

export type NamespaceInjection =
  | { state: 'enabled' }
  | { state: 'revision'; revision: string }
  | { state: 'both'; value: string; revision: string }
  | { state: 'wrong-value'; value: string }
  | { state: 'none' };

/**
 * A namespace's injection labels as the injector webhooks select them (Istio 1.30 sidecar-injector
 * webhook namespaceSelectors; docs setup/additional-setup/sidecar-injection): `istio-injection=enabled`,
 * or `istio.io/rev=<rev>`; with both, `istio-injection` wins and the revision label is ignored (IST0123);
 * any other value of istio-injection injects nothing.
 */
export function namespaceInjection(ns: V1Namespace | undefined): NamespaceInjection {
  const labels = ns?.metadata?.labels ?? {};
  const value = labels['istio-injection'];
  const revision = labels['istio.io/rev'];
  if (value !== undefined && revision !== undefined) return { state: 'both', value, revision };
  if (value === 'enabled') return { state: 'enabled' };
  if (value !== undefined) return { state: 'wrong-value', value };
  if (revision !== undefined) return { state: 'revision', revision };
  return { state: 'none' };
}

export type PodOptOut =
  | { optedOut: false }
  /** `label` is the current API; `annotation` is deprecated but still honoured by the injector. */
  | { optedOut: true; via: 'label' | 'annotation' };

/**
 * Whether a pod (or a pod template's metadata) opts out of injection (Istio 1.30
 * pkg/kube/inject/inject.go `injectRequired`): the label `sidecar.istio.io/inject` is read first, and
 * when absent the deprecated annotation of the same name; "false" skips injection. The webhook's
 * objectSelector only excludes the label, so the annotation is still read by the injector itself.
 */
export function podOptOut(meta: V1ObjectMeta | undefined): PodOptOut {
  const label = meta?.labels?.['sidecar.istio.io/inject'];
  if (label !== undefined) return label === 'false' ? { optedOut: true, via: 'label' } : { optedOut: false };
  const annotation = meta?.annotations?.['sidecar.istio.io/inject'];
  return annotation === 'false' ? { optedOut: true, via: 'annotation' } : { optedOut: false };
}

export interface PodInjection {
  /** `native`: istio-proxy in initContainers with restartPolicy Always (Istio ≥ 1.27 on kubelet ≥ 1.33); `classic`: in containers. */
  proxy: 'native' | 'classic' | 'none';
  /** The injector's `sidecar.istio.io/status` annotation is there. */
  statusAnnotation: boolean;
  ready: boolean;
  optOut: PodOptOut;
}

/** The injection state of a running pod, whichever form the proxy takes. */
export function podInjection(pod: V1Pod): PodInjection {
  const c = istioProxyContainer(pod);
  return {
    proxy: c ? (c.native ? 'native' : 'classic') : 'none',
    statusAnnotation: sidecarStatusAnnotation(pod) !== undefined,
    ready: isReady(pod),
    optOut: podOptOut(pod.metadata),
  };
}
