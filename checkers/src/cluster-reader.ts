import type {
  V1ConfigMap,
  V1Deployment,
  V1MutatingWebhookConfiguration,
  V1Namespace,
  V1Pod,
  V1Service,
  V1ValidatingWebhookConfiguration,
} from '@kubernetes/client-node';
import type {
  AuthorizationPolicy,
  DestinationRule,
  Gateway,
  PeerAuthentication,
  RequestAuthentication,
  ServiceEntry,
  Sidecar,
  Telemetry,
  VirtualService,
} from './istio/istio-schemas';

/** Any object as the API server returns it (list items may lack apiVersion/kind). */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface ListOptions {
  /** Kubernetes label selector, e.g. `app=reviews,version in (v1,v2)`. */
  labelSelector?: string;
}

/**
 * Read-only view of a learner's cluster. Every method either answers or throws `CheckRunError`
 * (`unreachable`, `forbidden`, `timeout`); a missing object is `undefined`, a missing list is `[]`.
 * Istio readers validate each object with a lenient zod schema and return typed objects, always
 * with `metadata.namespace` set. `ns` undefined means "all namespaces".
 */
export interface ClusterReader {
  /** Generic get, e.g. `get('networking.istio.io/v1', 'VirtualService', 'default', 'reviews')`. */
  get(apiVersion: string, kind: string, ns: string | undefined, name: string): Promise<KubeObject | undefined>;
  /** Generic list; items get `apiVersion`/`kind` filled in. */
  list(apiVersion: string, kind: string, ns?: string, options?: ListOptions): Promise<KubeObject[]>;

  namespace(name: string): Promise<V1Namespace | undefined>;
  namespaces(options?: ListOptions): Promise<V1Namespace[]>;
  pods(ns: string | undefined, labelSelector?: string): Promise<V1Pod[]>;
  pod(ns: string, name: string): Promise<V1Pod | undefined>;
  deployments(ns: string | undefined, labelSelector?: string): Promise<V1Deployment[]>;
  deployment(ns: string, name: string): Promise<V1Deployment | undefined>;
  services(ns: string | undefined, labelSelector?: string): Promise<V1Service[]>;
  service(ns: string, name: string): Promise<V1Service | undefined>;
  configMap(ns: string, name: string): Promise<V1ConfigMap | undefined>;
  mutatingWebhooks(): Promise<V1MutatingWebhookConfiguration[]>;
  validatingWebhooks(): Promise<V1ValidatingWebhookConfiguration[]>;

  virtualServices(ns?: string): Promise<VirtualService[]>;
  destinationRules(ns?: string): Promise<DestinationRule[]>;
  gateways(ns?: string): Promise<Gateway[]>;
  serviceEntries(ns?: string): Promise<ServiceEntry[]>;
  sidecars(ns?: string): Promise<Sidecar[]>;
  peerAuthentications(ns?: string): Promise<PeerAuthentication[]>;
  requestAuthentications(ns?: string): Promise<RequestAuthentication[]>;
  authorizationPolicies(ns?: string): Promise<AuthorizationPolicy[]>;
  telemetries(ns?: string): Promise<Telemetry[]>;
}
