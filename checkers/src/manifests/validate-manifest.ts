import { Gateway, DestinationRule, ServiceEntry, Sidecar, VirtualService, WorkloadEntry, WorkloadGroup } from '@kubernetes-models/istio/networking.istio.io/v1beta1';
import { EnvoyFilter } from '@kubernetes-models/istio/networking.istio.io/v1alpha3';
import { AuthorizationPolicy, PeerAuthentication, RequestAuthentication } from '@kubernetes-models/istio/security.istio.io/v1beta1';
import { Telemetry } from '@kubernetes-models/istio/telemetry.istio.io/v1alpha1';

interface Validatable {
  validate(): void;
}
type IstioModel = new (data: never) => Validatable;

/**
 * Istio kinds and the @kubernetes-models class whose schema checks them. The package ships
 * v1beta1/v1alpha1 classes; Istio serves v1 with the same schema (docs/check-probes.md), so a v1
 * object is validated by its v1beta1 (telemetry: v1alpha1) class.
 */
const istioModels: Record<string, { versions: string[]; model: IstioModel; modelVersion: string }> = {
  'networking.istio.io/VirtualService': { versions: ['v1', 'v1beta1', 'v1alpha3'], model: VirtualService as unknown as IstioModel, modelVersion: 'v1beta1' },
  'networking.istio.io/DestinationRule': { versions: ['v1', 'v1beta1', 'v1alpha3'], model: DestinationRule as unknown as IstioModel, modelVersion: 'v1beta1' },
  'networking.istio.io/Gateway': { versions: ['v1', 'v1beta1', 'v1alpha3'], model: Gateway as unknown as IstioModel, modelVersion: 'v1beta1' },
  'networking.istio.io/ServiceEntry': { versions: ['v1', 'v1beta1', 'v1alpha3'], model: ServiceEntry as unknown as IstioModel, modelVersion: 'v1beta1' },
  'networking.istio.io/Sidecar': { versions: ['v1', 'v1beta1', 'v1alpha3'], model: Sidecar as unknown as IstioModel, modelVersion: 'v1beta1' },
  'networking.istio.io/WorkloadEntry': { versions: ['v1', 'v1beta1', 'v1alpha3'], model: WorkloadEntry as unknown as IstioModel, modelVersion: 'v1beta1' },
  'networking.istio.io/WorkloadGroup': { versions: ['v1', 'v1beta1', 'v1alpha3'], model: WorkloadGroup as unknown as IstioModel, modelVersion: 'v1beta1' },
  'networking.istio.io/EnvoyFilter': { versions: ['v1alpha3'], model: EnvoyFilter as unknown as IstioModel, modelVersion: 'v1alpha3' },
  'security.istio.io/AuthorizationPolicy': { versions: ['v1', 'v1beta1'], model: AuthorizationPolicy as unknown as IstioModel, modelVersion: 'v1beta1' },
  'security.istio.io/PeerAuthentication': { versions: ['v1', 'v1beta1'], model: PeerAuthentication as unknown as IstioModel, modelVersion: 'v1beta1' },
  'security.istio.io/RequestAuthentication': { versions: ['v1', 'v1beta1'], model: RequestAuthentication as unknown as IstioModel, modelVersion: 'v1beta1' },
  'telemetry.istio.io/Telemetry': { versions: ['v1', 'v1alpha1'], model: Telemetry as unknown as IstioModel, modelVersion: 'v1alpha1' },
};

/** Core kinds labs apply, with the apiVersion the API server serves them at. */
const coreKinds: Record<string, string> = {
  Namespace: 'v1',
  Service: 'v1',
  ServiceAccount: 'v1',
  ConfigMap: 'v1',
  Secret: 'v1',
  Pod: 'v1',
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  Job: 'batch/v1',
  Role: 'rbac.authorization.k8s.io/v1',
  RoleBinding: 'rbac.authorization.k8s.io/v1',
  ClusterRole: 'rbac.authorization.k8s.io/v1',
  ClusterRoleBinding: 'rbac.authorization.k8s.io/v1',
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function validateWorkload(kind: string, doc: Obj): string[] {
  const spec = isObj(doc['spec']) ? doc['spec'] : {};
  const errors: string[] = [];
  const template = isObj(spec['template']) ? spec['template'] : undefined;
  const podSpec = kind === 'Pod' ? spec : isObj(template?.['spec']) ? template['spec'] : undefined;
  if (kind !== 'Pod') {
    const matchLabels = isObj(spec['selector']) && isObj(spec['selector']['matchLabels']) ? spec['selector']['matchLabels'] : undefined;
    const labels = isObj(template?.['metadata']) && isObj(template['metadata']['labels']) ? template['metadata']['labels'] : {};
    if (!matchLabels) errors.push('spec.selector.matchLabels: required');
    else for (const [k, v] of Object.entries(matchLabels)) if (labels[k] !== v) errors.push(`spec.selector.matchLabels.${k}: "${String(v)}" does not match spec.template.metadata.labels`);
  }
  const containers = Array.isArray(podSpec?.['containers']) ? (podSpec['containers'] as unknown[]) : [];
  if (containers.length === 0) errors.push('containers: at least one is required');
  containers.forEach((c, i) => {
    if (!isObj(c) || typeof c['name'] !== 'string' || typeof c['image'] !== 'string') errors.push(`containers[${i}]: name and image are required`);
  });
  return errors;
}

function validateService(doc: Obj): string[] {
  const spec = isObj(doc['spec']) ? doc['spec'] : {};
  const ports = Array.isArray(spec['ports']) ? (spec['ports'] as unknown[]) : [];
  const errors: string[] = [];
  if (spec['type'] !== 'ExternalName' && ports.length === 0) errors.push('spec.ports: at least one port is required');
  ports.forEach((p, i) => {
    if (!isObj(p) || typeof p['port'] !== 'number') errors.push(`spec.ports[${i}].port: must be a number`);
    if (ports.length > 1 && isObj(p) && typeof p['name'] !== 'string') errors.push(`spec.ports[${i}].name: required when a Service has several ports`);
  });
  return errors;
}

/**
 * Validates one applied Kubernetes/Istio object: Istio kinds against the @kubernetes-models schema
 * (same checks as the CRD's OpenAPI schema, e.g. `percentage: 100` instead of `{value: 100}`),
 * core kinds for apiVersion/kind/metadata.name and the fields the API server would refuse.
 */
export function validateManifest(doc: unknown): string[] {
  if (!isObj(doc)) return ['not a YAML mapping'];
  const apiVersion = doc['apiVersion'];
  const kind = doc['kind'];
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return ['apiVersion and kind are required'];
  if (kind === 'List') return (Array.isArray(doc['items']) ? (doc['items'] as unknown[]) : []).flatMap((item, i) => validateManifest(item).map((e) => `items[${i}]: ${e}`));
  const meta = isObj(doc['metadata']) ? doc['metadata'] : undefined;
  const errors: string[] = [];
  if (!meta || (typeof meta['name'] !== 'string' && typeof meta['generateName'] !== 'string')) errors.push('metadata.name: required');
  const slash = apiVersion.indexOf('/');
  const group = slash >= 0 ? apiVersion.slice(0, slash) : '';
  const version = slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion;
  if (group.endsWith('istio.io')) {
    const entry = istioModels[`${group}/${kind}`];
    if (!entry) return [...errors, `${kind} is not an Istio kind of ${group}`];
    if (!entry.versions.includes(version)) return [...errors, `${group}/${kind} is not served at ${version} (served: ${entry.versions.join(', ')})`];
    try {
      new entry.model({ ...doc, apiVersion: `${group}/${entry.modelVersion}` } as never).validate();
    } catch (error) {
      errors.push(...(error as Error).message.split(', ').map((m) => m.replace(/^data\//, '').replace(/\//g, '.')));
    }
    return errors;
  }
  const expected = coreKinds[kind];
  if (expected && expected !== apiVersion) errors.push(`${kind} is served at ${expected}, not ${apiVersion}`);
  if (['Deployment', 'StatefulSet', 'DaemonSet', 'Pod'].includes(kind)) errors.push(...validateWorkload(kind, doc));
  if (kind === 'Service') errors.push(...validateService(doc));
  return errors;
}
