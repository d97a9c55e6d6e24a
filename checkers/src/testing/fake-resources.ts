/**
 * The resource types the fake API server serves, as a real cluster with Istio installed
 * advertises them in discovery. Istio CRDs are served at every version the 1.30 CRDs serve
 * (all share one schema, so a stored object is returned at whichever version is asked).
 */
export interface ResourceType {
  group: string; // '' for core
  versions: string[];
  plural: string;
  kind: string;
  namespaced: boolean;
  /** Custom resources: list items keep apiVersion/kind (the server returns them unstructured). */
  custom: boolean;
  verbs: string[];
}

const readVerbs = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

function core(plural: string, kind: string, namespaced = true): ResourceType {
  return { group: '', versions: ['v1'], plural, kind, namespaced, custom: false, verbs: readVerbs };
}

function builtin(group: string, plural: string, kind: string, namespaced = true): ResourceType {
  return { group, versions: ['v1'], plural, kind, namespaced, custom: false, verbs: readVerbs };
}

function crd(group: string, versions: string[], plural: string, kind: string): ResourceType {
  return { group, versions, plural, kind, namespaced: true, custom: true, verbs: readVerbs };
}

const networking = ['v1', 'v1beta1', 'v1alpha3'];
const security = ['v1', 'v1beta1'];

export const resourceTypes: ResourceType[] = [
  core('namespaces', 'Namespace', false),
  core('nodes', 'Node', false),
  core('pods', 'Pod'),
  core('services', 'Service'),
  core('endpoints', 'Endpoints'),
  core('configmaps', 'ConfigMap'),
  core('secrets', 'Secret'),
  core('serviceaccounts', 'ServiceAccount'),
  core('events', 'Event'),
  builtin('apps', 'deployments', 'Deployment'),
  builtin('apps', 'replicasets', 'ReplicaSet'),
  builtin('apps', 'daemonsets', 'DaemonSet'),
  builtin('apps', 'statefulsets', 'StatefulSet'),
  builtin('admissionregistration.k8s.io', 'mutatingwebhookconfigurations', 'MutatingWebhookConfiguration', false),
  builtin('admissionregistration.k8s.io', 'validatingwebhookconfigurations', 'ValidatingWebhookConfiguration', false),
  crd('networking.istio.io', networking, 'virtualservices', 'VirtualService'),
  crd('networking.istio.io', networking, 'destinationrules', 'DestinationRule'),
  crd('networking.istio.io', networking, 'gateways', 'Gateway'),
  crd('networking.istio.io', networking, 'serviceentries', 'ServiceEntry'),
  crd('networking.istio.io', networking, 'sidecars', 'Sidecar'),
  crd('networking.istio.io', networking, 'workloadentries', 'WorkloadEntry'),
  crd('networking.istio.io', ['v1alpha3'], 'envoyfilters', 'EnvoyFilter'),
  crd('security.istio.io', security, 'peerauthentications', 'PeerAuthentication'),
  crd('security.istio.io', security, 'requestauthentications', 'RequestAuthentication'),
  crd('security.istio.io', security, 'authorizationpolicies', 'AuthorizationPolicy'),
  crd('telemetry.istio.io', ['v1', 'v1alpha1'], 'telemetries', 'Telemetry'),
];

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function typeByKind(apiVersion: string, kind: string): ResourceType | undefined {
  const { group, version } = splitApiVersion(apiVersion);
  return resourceTypes.find((t) => t.group === group && t.kind === kind && t.versions.includes(version));
}

export function typeByPlural(group: string, version: string, plural: string): ResourceType | undefined {
  return resourceTypes.find((t) => t.group === group && t.plural === plural && t.versions.includes(version));
}

export function apiVersionOf(type: ResourceType, version: string): string {
  return type.group ? `${type.group}/${version}` : version;
}
