/**
 * Test fixtures for the Module B checks (L05–L12): the Istio objects each lab's setup, solutions and
 * common mistakes leave in a cluster, built with the runtime's builders so they come back from the fake
 * API server shaped as a real 1.30 cluster returns them. Imported by tests only.
 */
import type { KubeObject } from '../../cluster-reader';
import { baselineCluster } from './baseline-cluster';
import { destinationRule, namespace, service, virtualService, workload } from './kube-builders';
import { versions } from '../../../../clusters/versions';

/** The fortio image the labs pin (one place: clusters/versions.ts), so fixtures and the simulator never drift from it. */
export const fortioImage = versions.labExtras.images.find((i) => i.includes('/fortio:')) ?? 'docker.io/fortio/fortio';
export const fortioVersion = fortioImage.split(':').at(-1) ?? '';

type Spec = Record<string, unknown>;

/** A destination of a VS route. */
export const dest = (host: string, subset?: string, weight?: number, port?: number): Spec => ({
  destination: { host, ...(subset ? { subset } : {}), ...(port ? { port: { number: port } } : {}) },
  ...(weight !== undefined ? { weight } : {}),
});

export const jasonMatch = [{ headers: { 'end-user': { exact: 'jason' } } }];

const subsets = (...versions: string[]) => versions.map((v) => ({ name: v, labels: { version: v } }));

/** L03 step 1: DRs with version subsets for the four Bookinfo services. */
export function bookinfoDestinationRules(): KubeObject[] {
  return [
    destinationRule('default', 'productpage', { host: 'productpage', subsets: subsets('v1') }),
    destinationRule('default', 'reviews', { host: 'reviews', subsets: subsets('v1', 'v2', 'v3') }),
    destinationRule('default', 'ratings', { host: 'ratings', subsets: subsets('v1', 'v2') }),
    destinationRule('default', 'details', { host: 'details', subsets: subsets('v1', 'v2') }),
  ];
}

/** A mesh VS for one Bookinfo service in ns default. */
export const bookinfoVs = (service: string, http: Spec[], name = service): KubeObject =>
  virtualService('default', name, { hosts: [service], http });

/** L03 step 2: every Bookinfo service → v1. */
export function allToV1(): KubeObject[] {
  return ['productpage', 'reviews', 'ratings', 'details'].map((s) => bookinfoVs(s, [{ route: [dest(s, 'v1')] }]));
}

/** L04: jason → reviews v2, everyone else v1. */
export function jasonToV2(): KubeObject {
  return bookinfoVs('reviews', [{ match: jasonMatch, route: [dest('reviews', 'v2')] }, { route: [dest('reviews', 'v1')] }]);
}

/** The provisioned environment plus the L03 routing every Module B lab starts from. */
export function bookinfoRouted(): KubeObject[] {
  return [...baselineCluster(), ...bookinfoDestinationRules(), ...allToV1()];
}

const httpbinImage = 'docker.io/mccutchen/go-httpbin:v2.15.0';

/** ns intro as L01 leaves it (injected) with httpbin, the curl client, and (L08) fortio. */
export function introApps(o: { httpbinVersions?: string[] } = {}): KubeObject[] {
  const versions = o.httpbinVersions;
  const out: KubeObject[] = [
    namespace('intro', { 'istio-injection': 'enabled' }),
    service('intro', 'httpbin', { app: 'httpbin' }, [{ name: 'http', port: 8000, targetPort: 8080 }]),
    ...workload({ ns: 'intro', name: 'curl', labels: { app: 'curl' }, image: 'docker.io/curlimages/curl:8.16.0', serviceAccount: 'curl', injection: 'native' }),
    ...workload({ ns: 'intro', name: 'fortio-deploy', labels: { app: 'fortio' }, image: fortioImage, port: 8080, injection: 'native' }),
  ];
  if (!versions) {
    out.push(...workload({ ns: 'intro', name: 'httpbin', labels: { app: 'httpbin', version: 'v1' }, image: httpbinImage, port: 8080, serviceAccount: 'httpbin', injection: 'native' }));
  } else {
    for (const v of versions)
      out.push(...workload({ ns: 'intro', name: `httpbin-${v}`, labels: { app: 'httpbin', version: v }, image: httpbinImage, port: 8080, serviceAccount: 'httpbin', injection: 'native' }));
  }
  return out;
}

/** L11 setup: the fake external API (no sidecar, hidden from the mesh) and default/curl with a sidecar. */
export function externalApi(): KubeObject[] {
  const svc = service('external', 'fake-api', { app: 'fake-api' }, [{ name: 'http', port: 80, targetPort: 8080 }]);
  (svc.metadata ??= {}).annotations = { 'networking.istio.io/exportTo': '~' };
  return [
    namespace('external', { 'istio-injection': 'disabled' }),
    svc,
    ...workload({ ns: 'external', name: 'fake-api', labels: { app: 'fake-api' }, image: httpbinImage, port: 8080 }),
    ...workload({ ns: 'default', name: 'curl', labels: { app: 'curl' }, image: 'docker.io/curlimages/curl:8.16.0', serviceAccount: 'curl', injection: 'native' }),
  ];
}

export function nameOf(objects: KubeObject[], kind: string, ns: string, prefix: string): string {
  const found = objects.find((o) => o.kind === kind && o.metadata?.namespace === ns && o.metadata?.name?.startsWith(prefix));
  if (!found?.metadata?.name) throw new Error(`fixture: no ${kind} ${ns}/${prefix}*`);
  return found.metadata.name;
}
