import type { KubeObject } from '../../cluster-reader';
import { baselineCluster } from './baseline-cluster';
import { namespace, service, workload, type Injection } from './kube-builders';

/** The intro namespace with httpbin and curl, labelled or not, injected or not. */
export function introState(
  o: { labels?: Record<string, string>; injection?: Injection; legacy?: 'label' | 'annotation' | 'none' } = {},
): KubeObject[] {
  const injection = o.injection ?? 'none';
  const out: KubeObject[] = [
    ...baselineCluster(),
    namespace('intro', o.labels ?? {}),
    service('intro', 'httpbin', { app: 'httpbin' }, [{ name: 'http', port: 8000, targetPort: 8080 }]),
    service('intro', 'curl', { app: 'curl' }, [{ name: 'http', port: 80 }]),
    ...workload({
      ns: 'intro',
      name: 'httpbin',
      labels: { app: 'httpbin', version: 'v1' },
      image: 'mccutchen/go-httpbin:v2.15.0',
      port: 8080,
      serviceAccount: 'httpbin',
      injection,
    }),
    ...workload({
      ns: 'intro',
      name: 'curl',
      labels: { app: 'curl' },
      image: 'curlimages/curl:8.16.0',
      serviceAccount: 'curl',
      injection,
    }),
  ];
  if (o.legacy && o.legacy !== 'none') {
    out.push(
      ...workload({
        ns: 'intro',
        name: 'legacy-client',
        labels: { app: 'legacy-client' },
        image: 'curlimages/curl:8.16.0',
        // The injector honours both the label and the deprecated annotation (Istio 1.30 injectRequired).
        injection: 'none',
        ...(o.legacy === 'label'
          ? { templateLabels: { 'sidecar.istio.io/inject': 'false' } }
          : { templateAnnotations: { 'sidecar.istio.io/inject': 'false' } }),
      }),
    );
  }
  return out;
}

export const labelled = { 'istio-injection': 'enabled' };

/** ns manual with httpbin applied through kube-inject (template carries the proxy) or plainly. */
export function manualState(o: { injectedTemplate: boolean; labels?: Record<string, string> }): KubeObject[] {
  return [
    ...introState({ labels: labelled, injection: 'native' }),
    namespace('manual', o.labels ?? {}),
    service('manual', 'httpbin', { app: 'httpbin' }, [{ name: 'http', port: 8000, targetPort: 8080 }]),
    ...workload({
      ns: 'manual',
      name: 'httpbin',
      labels: { app: 'httpbin', version: 'v1' },
      image: 'mccutchen/go-httpbin:v2.15.0',
      port: 8080,
      templateInjection: o.injectedTemplate ? 'classic' : 'none',
    }),
  ];
}
