import {
  AdmissionregistrationV1Api,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubernetesObjectApi,
  Observable,
  type ConfigurationOptions,
  type KubeConfig,
  type ObservableMiddleware,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';
import type { z } from 'zod';
import { CheckRunError } from '../check-error';
import type { ClusterReader, KubeObject, ListOptions } from '../cluster-reader';
import { istioKinds, type IstioKind } from '../istio/istio-schemas';
import { httpStatusOf, toCheckRunError } from './classify-error';

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/**
 * ClusterReader over client-node 1.x (object-parameter API). Every request carries the check's
 * abort signal; errors are classified once here (404 → undefined, 401/403 → forbidden, network →
 * unreachable, abort → timeout). Istio objects are validated with zod before any check sees them.
 */
export class KubeClusterReader implements ClusterReader {
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly admission: AdmissionregistrationV1Api;
  private readonly custom: CustomObjectsApi;
  private readonly objects: KubernetesObjectApi;
  private readonly options: ConfigurationOptions;

  constructor(
    kc: KubeConfig,
    private readonly signal: AbortSignal,
  ) {
    this.core = kc.makeApiClient(CoreV1Api);
    this.apps = kc.makeApiClient(AppsV1Api);
    this.admission = kc.makeApiClient(AdmissionregistrationV1Api);
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.objects = KubernetesObjectApi.makeApiClient(kc);
    // Abort in-flight requests when the check's time is up or the caller cancels.
    const withSignal: ObservableMiddleware = {
      pre: (context: RequestContext) => {
        context.setSignal(signal);
        return new Observable(Promise.resolve(context));
      },
      post: (context: ResponseContext) => new Observable(Promise.resolve(context)),
    };
    this.options = { middleware: [withSignal], middlewareMergeStrategy: 'append' };
  }

  /** Runs one read; `undefined` on 404, CheckRunError for everything that is not an answer. */
  private async read<T>(what: string, call: () => Promise<T>): Promise<T | undefined> {
    if (this.signal.aborted) throw toCheckRunError(new Error('aborted'), what, this.signal);
    try {
      return await raceAbort(call(), this.signal);
    } catch (error) {
      if (httpStatusOf(error) === 404) return undefined;
      throw toCheckRunError(error, what, this.signal);
    }
  }

  private async readList<T>(what: string, call: () => Promise<{ items: T[] }>): Promise<T[]> {
    // A 404 on a list means the type is not served (e.g. Istio CRDs not installed): nothing to find.
    return (await this.read(what, call))?.items ?? [];
  }

  async get(apiVersion: string, kind: string, ns: string | undefined, name: string): Promise<KubeObject | undefined> {
    const header = { apiVersion, kind, metadata: { name, ...(ns ? { namespace: ns } : {}) } };
    const obj = await this.read(`read ${kind} ${ns ? `${ns}/` : ''}${name}`, () =>
      this.objects.read(header),
    );
    return obj as KubeObject | undefined;
  }

  async list(apiVersion: string, kind: string, ns?: string, options: ListOptions = {}): Promise<KubeObject[]> {
    const items = await this.readList(`list ${kind}${ns ? ` in ${ns}` : ''}`, () =>
      this.objects.list(apiVersion, kind, ns, undefined, undefined, undefined, undefined, options.labelSelector),
    );
    return (items as KubeObject[]).map((item) => ({ apiVersion, kind, ...item }));
  }

  namespace(name: string) {
    return this.read(`read namespace ${name}`, () => this.core.readNamespace({ name }, this.options));
  }

  namespaces(options: ListOptions = {}) {
    return this.readList('list namespaces', () => this.core.listNamespace({ labelSelector: options.labelSelector }, this.options));
  }

  pods(ns: string | undefined, labelSelector?: string) {
    return this.readList(`list pods${ns ? ` in ${ns}` : ''}`, () =>
      ns
        ? this.core.listNamespacedPod({ namespace: ns, labelSelector }, this.options)
        : this.core.listPodForAllNamespaces({ labelSelector }, this.options),
    );
  }

  pod(ns: string, name: string) {
    return this.read(`read pod ${ns}/${name}`, () => this.core.readNamespacedPod({ namespace: ns, name }, this.options));
  }

  deployments(ns: string | undefined, labelSelector?: string) {
    return this.readList(`list deployments${ns ? ` in ${ns}` : ''}`, () =>
      ns
        ? this.apps.listNamespacedDeployment({ namespace: ns, labelSelector }, this.options)
        : this.apps.listDeploymentForAllNamespaces({ labelSelector }, this.options),
    );
  }

  deployment(ns: string, name: string) {
    return this.read(`read deployment ${ns}/${name}`, () => this.apps.readNamespacedDeployment({ namespace: ns, name }, this.options));
  }

  services(ns: string | undefined, labelSelector?: string) {
    return this.readList(`list services${ns ? ` in ${ns}` : ''}`, () =>
      ns
        ? this.core.listNamespacedService({ namespace: ns, labelSelector }, this.options)
        : this.core.listServiceForAllNamespaces({ labelSelector }, this.options),
    );
  }

  service(ns: string, name: string) {
    return this.read(`read service ${ns}/${name}`, () => this.core.readNamespacedService({ namespace: ns, name }, this.options));
  }

  configMap(ns: string, name: string) {
    return this.read(`read configmap ${ns}/${name}`, () => this.core.readNamespacedConfigMap({ namespace: ns, name }, this.options));
  }

  mutatingWebhooks() {
    return this.readList('list mutating webhooks', () => this.admission.listMutatingWebhookConfiguration({}, this.options));
  }

  validatingWebhooks() {
    return this.readList('list validating webhooks', () => this.admission.listValidatingWebhookConfiguration({}, this.options));
  }

  private async istio<K extends IstioKind>(kind: K, ns: string | undefined): Promise<Array<z.infer<(typeof istioKinds)[K]['schema']>>> {
    const { apiVersion, plural, schema } = istioKinds[kind];
    const { group, version } = splitApiVersion(apiVersion);
    const what = `list ${kind} objects${ns ? ` in ${ns}` : ''}`;
    const answer = await this.read(what, () =>
      (ns
        ? this.custom.listNamespacedCustomObject({ group, version, namespace: ns, plural }, this.options)
        : this.custom.listClusterCustomObject({ group, version, plural }, this.options)) as Promise<{ items?: unknown[] }>,
    );
    return (answer?.items ?? []).map((item) => {
      const parsed = schema.safeParse(item);
      if (!parsed.success) {
        const meta = (item as { metadata?: { namespace?: string; name?: string } }).metadata;
        const issue = parsed.error.issues[0];
        // The CRD accepted this object, so our schema is too strict: a bug in the checker, not the learner's fault.
        throw new CheckRunError(
          'internal',
          `${kind} ${meta?.namespace ?? ''}/${meta?.name ?? ''} does not match the checker's schema at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? ''}`,
        );
      }
      return parsed.data as z.infer<(typeof istioKinds)[K]['schema']>;
    });
  }

  virtualServices(ns?: string) {
    return this.istio('VirtualService', ns);
  }
  destinationRules(ns?: string) {
    return this.istio('DestinationRule', ns);
  }
  gateways(ns?: string) {
    return this.istio('Gateway', ns);
  }
  serviceEntries(ns?: string) {
    return this.istio('ServiceEntry', ns);
  }
  sidecars(ns?: string) {
    return this.istio('Sidecar', ns);
  }
  peerAuthentications(ns?: string) {
    return this.istio('PeerAuthentication', ns);
  }
  requestAuthentications(ns?: string) {
    return this.istio('RequestAuthentication', ns);
  }
  authorizationPolicies(ns?: string) {
    return this.istio('AuthorizationPolicy', ns);
  }
  telemetries(ns?: string) {
    return this.istio('Telemetry', ns);
  }
}

/**
 * KubernetesObjectApi takes a whole Configuration rather than merge options, so its requests cannot
 * carry the signal; stop waiting for them when the check is aborted.
 */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}
