/**
 * Cluster states of lab l12-egress-gateway for the step-check tests: what setup.sh and each step's
 * solution leave, and the pieces the common mistakes change. Imported by tests only.
 */
import type { KubeObject } from '../../cluster-reader';
import { baselineCluster } from './baseline-cluster';
import { destinationRule, gateway, serviceEntry, sidecar, virtualService } from './kube-builders';
import { externalApi } from './lab-fixtures';

type Spec = Record<string, unknown>;

export const egressSvc = 'istio-egressgateway.istio-system.svc.cluster.local';

/**
 * The baseline with the egress gateway pod as istioctl installs it: its one container is named
 * istio-proxy (the generic workload builder names it after the app label).
 */
function withRealEgressPod(objects: KubeObject[]): KubeObject[] {
  return objects.map((o) => {
    if (o.kind !== 'Pod' || o.metadata?.namespace !== 'istio-system' || o.metadata.labels?.['istio'] !== 'egressgateway') return o;
    const copy = structuredClone(o) as KubeObject & { spec: { containers: Array<{ name: string }> }; status: { containerStatuses?: Array<{ name: string }> } };
    for (const c of copy.spec.containers) c.name = 'istio-proxy';
    for (const c of copy.status.containerStatuses ?? []) c.name = 'istio-proxy';
    return copy;
  });
}

/** setup.sh: L11 through step 3 (fake API, default/curl, REGISTRY_ONLY Sidecar, ServiceEntry api-example). */
export function l12Setup(): KubeObject[] {
  return [
    ...withRealEgressPod(baselineCluster()),
    ...externalApi(),
    sidecar('default', 'default', { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } }),
    serviceEntry('default', 'api-example', {
      hosts: ['api.example.com'],
      ports: [{ number: 80, name: 'http', protocol: 'HTTP' }],
      resolution: 'DNS',
      location: 'MESH_EXTERNAL',
    }),
  ];
}

/** Step 1 (solution): Gateway istio-egressgateway on the egress gateway pods. */
export const egressGatewayObject = (ns = 'default'): KubeObject =>
  gateway(ns, 'istio-egressgateway', {
    selector: { istio: 'egressgateway' },
    servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['api.example.com'] }],
  });

/** Step 2 (solution): DestinationRule egressgateway-for-api with subset api. */
export const egressDr = (spec: Spec = {}, ns = 'default', name = 'egressgateway-for-api'): KubeObject =>
  destinationRule(ns, name, { host: egressSvc, subsets: [{ name: 'api' }], ...spec });

/** The mesh rule of step 3: sidecars → egress gateway (subset api, port 80); `gateways: null` drops the match. */
export const meshRule = (destination: Spec = { host: egressSvc, subset: 'api', port: { number: 80 } }, gateways: string[] | null = ['mesh']): Spec => ({
  ...(gateways ? { match: [{ gateways, port: 80 }] } : {}),
  route: [{ destination, weight: 100 }],
});

/** The gateway rule of step 3: egress gateway → api.example.com:80. */
export const gatewayRule = (gw = 'istio-egressgateway', destination: Spec = { host: 'api.example.com', port: { number: 80 } }): Spec => ({
  match: [{ gateways: [gw], port: 80 }],
  route: [{ destination, weight: 100 }],
});

/** Step 3 (solution): VirtualService api-example bound to mesh and the egress Gateway. */
export const egressVs = (spec: Spec = {}, ns = 'default', name = 'api-example'): KubeObject =>
  virtualService(ns, name, {
    hosts: ['api.example.com'],
    gateways: ['mesh', 'istio-egressgateway'],
    http: [meshRule(), gatewayRule()],
    ...spec,
  });

/** State after each step's solution. */
export const afterGateway = (): KubeObject[] => [...l12Setup(), egressGatewayObject()];
export const afterDr = (): KubeObject[] => [...afterGateway(), egressDr()];
export const afterVs = (): KubeObject[] => [...afterDr(), egressVs()];

/** Drops the egress gateway (a profile without one): its Deployment, pods and Service. */
export function withoutEgressGateway(objects: KubeObject[]): KubeObject[] {
  return objects.filter((o) => !(o.metadata?.namespace === 'istio-system' && (o.metadata.name ?? '').startsWith('istio-egressgateway')));
}
