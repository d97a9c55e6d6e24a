import { parse as parseYaml } from 'yaml';
import type { KubeObject } from '../cluster-reader';
import {
  destinationRuleSchema,
  gatewaySchema,
  peerAuthenticationSchema,
  authorizationPolicySchema,
  requestAuthenticationSchema,
  type RequestAuthentication,
  serviceEntrySchema,
  telemetrySchema,
  sidecarSchema,
  virtualServiceSchema,
  type DestinationRule,
  type Gateway,
  type HttpMatch,
  type HttpRoute,
  type PeerAuthentication,
  type AuthorizationPolicy,
  type ServiceEntry,
  type Telemetry,
  type Sidecar,
  type StringMatch,
  type VirtualService,
} from '../istio/istio-schemas';
import { destinationRuleFor } from '../istio/rules/destination-rule-for-host';
import { effectiveFault, faultFires } from '../istio/rules/effective-fault';
import { effectiveLoadBalancer } from '../istio/rules/effective-load-balancer';
import { effectiveMirrors } from '../istio/rules/effective-mirror';
import { clientUsesMtls, effectiveMtls, serverAccepts } from '../istio/rules/effective-mtls';
import { metricTags } from '../istio/rules/metric-tags';
import { authorize, principalOf } from '../istio/rules/authorization';
import { authenticate, jwtRulesForWorkload } from '../istio/rules/request-authentication';
import { accessLoggingFor, logsToStdout } from '../istio/rules/access-logging';
import { reportsTo, traceContextFor, tracingFor, type ExtensionProvider, type TraceContext } from '../istio/rules/tracing';
import { bookinfoTrace, type FakeTrace } from './fake-jaeger';
import { grafanaStoreOf } from './grafana-model';
import type { KialiRequest } from './fake-kiali';
import { countsAsOutlierError, effectiveOutlierDetection } from '../istio/rules/effective-outlier';
import { effectiveRetryPolicy, retriesTry, type TryOutcome } from '../istio/rules/effective-retries';
import { effectiveRouteTimeout } from '../istio/rules/effective-timeout';
import { effectiveTrafficPolicy } from '../istio/rules/effective-traffic-policy';
import { serviceExportTo, visibleFrom } from '../istio/rules/export-to';
import { findGateway, resolveGatewayRef, sameGateway, type GatewayRef } from '../istio/rules/gateway-refs';
import { gatewayServerHost, hostMatches, resolveHost } from '../istio/rules/host-names';
import { selectorMatches } from '../istio/rules/object-refs';
import { virtualServicesForHost } from '../istio/rules/virtual-services-for-host';
import { hasIstioProxy } from '../pods';
import type { CheckHarness } from './check-harness';
import { emulateCurl, type DeadUpstream, type Upstream } from './curl-emulator';
import { httpbinHost, type FakeRequest, type FakeResponse, type Version } from './fake-bookinfo';
import type { QueryHandler } from './fake-prometheus';
import { seededRandom } from './seeded-random';
import { fortioVersion } from './testdata/lab-fixtures';

/**
 * A small model of what Envoy and istiod would do with the Istio objects in a fake cluster, enough for
 * the labs' probes: per-request routing of VirtualServices (matches, weights, faults, timeouts, retries,
 * mirrors) onto DestinationRule subsets and pods, outlier ejection and connection-pool overflow per
 * client proxy, ServiceEntry / outbound policy for external hosts, the egress gateway, and the
 * telemetry this leaves behind (istio_requests_total in Prometheus, access logs, app logs, istiod's
 * config dump). It lets solution replays run probe checks against behaviour derived from state rather
 * than hand-set answers. Latency is computed, then slept once at the edge, so probe timings are real
 * (or advanced on a virtual clock, see mesh-harness.ts).
 *
 * What Istio makes of omitted fields (fault percentages, default retries, route timeouts, mirror shares,
 * outlier-detection and load-balancer defaults, subset policy merging) comes from the same rule
 * functions the checks use (istio/rules/effective-*.ts), so the model and the checks cannot disagree.
 * Security: `serve` decides per connection whether the client talks mTLS (auto mTLS, a DestinationRule's
 * TLS mode) and whether the server's PeerAuthentication accepts it (STRICT resets plaintext), from the
 * rules in istio/rules/effective-mtls.ts; mTLS connections carry the client identity (XFCC) and the
 * destination metric's connection_security_policy. AuthorizationPolicy is not enforced yet.
 */

type Obj = KubeObject & { metadata: { name: string; namespace: string; labels?: Record<string, string>; annotations?: Record<string, string> } };
type Pod = Obj & { spec?: { containers?: Array<{ name: string }>; initContainers?: Array<{ name: string; restartPolicy?: string }> }; status?: { phase?: string } };

function parsed<T>(objects: KubeObject[], kind: string, schema: { safeParse(v: unknown): { success: boolean; data?: T } }): T[] {
  return objects.filter((o) => o.kind === kind).flatMap((o) => {
    const r = schema.safeParse(o);
    return r.success && r.data ? [r.data] : [];
  });
}

const pods = (objects: KubeObject[]) => objects.filter((o): o is Obj => o.kind === 'Pod') as unknown as Pod[];

function matchString(m: StringMatch, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (m.exact !== undefined) return m.exact === value;
  if (m.prefix !== undefined) return value.startsWith(m.prefix);
  if (m.regex !== undefined) {
    try {
      return new RegExp(`^(?:${m.regex})$`).test(value);
    } catch {
      return false;
    }
  }
  return true;
}

function ruleMatches(rule: HttpRoute, headers: Record<string, string>, path: string): boolean {
  if (!rule.match || rule.match.length === 0) return true;
  return rule.match.some(
    (m) =>
      Object.entries(m.headers ?? {}).every(([k, v]) => matchString(v, headers[k.toLowerCase()])) &&
      (!m.uri || matchString(m.uri, path)),
  );
}

/** Answers for a Host at the ingress gateway: httpbin when a bound VS routes the path to it, else undefined (404). */
function ingressHost(objects: KubeObject[], host: string) {
  const gateways = parsed(objects, 'Gateway', gatewaySchema);
  const ingressPods = pods(objects).filter((p) => p.metadata.namespace === 'istio-system');
  const vss = parsed<VirtualService>(objects, 'VirtualService', virtualServiceSchema);
  return (request: FakeRequest): FakeResponse | undefined => {
    const path = new URL(request.path, 'http://x').pathname;
    for (const vs of vss) {
      if (!vs.spec.hosts.some((h) => hostMatches(h.toLowerCase(), host))) continue;
      const bound = (vs.spec.gateways ?? []).map((g) => findGateway(gateways, g, vs.metadata.namespace)).filter((g) => g !== undefined);
      const serving = bound.some(
        (g) =>
          ingressPods.some((p) => selectorMatches(g.spec.selector, p.metadata.labels) && Object.keys(g.spec.selector ?? {}).length > 0) &&
          g.spec.servers.some((s) => [80, 8080].includes(s.port.number) && s.hosts.some((h) => hostMatches(gatewayServerHost(h).toLowerCase(), host))),
      );
      if (!serving) continue;
      const rule = (vs.spec.http ?? []).find((r) => ruleMatches(r, request.headers, path));
      const dest = rule?.route?.[0]?.destination;
      const resolved = dest ? resolveHost(dest.host, vs.metadata.namespace) : '';
      if (/^httpbin\.[a-z0-9-]+\.svc\.cluster\.local$/.test(resolved) && (dest?.port?.number ?? 8000) === 8000) return httpbinHost()(request);
    }
    return undefined;
  };
}

// ---------------------------------------------------------------------------------------------------
// State that outlives one simulateMesh call: what Prometheus, the logs and each proxy remember.
// ---------------------------------------------------------------------------------------------------

interface LogLine {
  at: number;
  line: string;
}

export interface MeshMemory {
  random: () => number;
  series: Map<string, { labels: Record<string, string>; value: number }>;
  logs: Map<string, LogLine[]>;
  /** `${clientPod}|${cluster}|${endpointPod}` → consecutive 5xx seen by that client proxy. */
  consecutive5xx: Map<string, number>;
  /** Same key → consecutive 502/503/504. */
  consecutiveGateway: Map<string, number>;
  /** Same key → ejected until (ms since epoch). */
  ejectedUntil: Map<string, number>;
  requestSerial: number;
  /** Bookinfo calls the ingress served per end user ('' = anonymous). */
  ingressCalls: Map<string, number>;
  /** Traces the proxies reported to the jaeger provider, newest last. */
  traces: FakeTrace[];
  /** L19: each request sample (both reporters) with its time, for Kiali's time-windowed graph. */
  requestLog: KialiRequest[];
}

/** Fresh proxy/telemetry memory (tests drive a MeshModel directly with it). */
export function newMeshMemory(): MeshMemory {
  return { random: seededRandom(7), series: new Map(), logs: new Map(), consecutive5xx: new Map(), consecutiveGateway: new Map(), ejectedUntil: new Map(), requestSerial: 0, ingressCalls: new Map(), traces: [], requestLog: [] };
}

const memories = new WeakMap<CheckHarness, MeshMemory>();

/** The proxy/telemetry memory simulateMesh keeps for a harness. */
export function memoryOfMesh(h: CheckHarness): MeshMemory {
  let m = memories.get(h);
  if (!m) {
    m = newMeshMemory();
    memories.set(h, m);
  }
  return m;
}

/** Forgets recorded traffic, logs and proxy state (a fresh environment, e.g. the next lab of a replay). */
export function resetMesh(h: CheckHarness): void {
  memories.set(h, newMeshMemory());
}

/** Answers `sum(metric{l="v",...})` (and a bare selector) over recorded counters; other PromQL is not modelled. */
export function evaluatePromQl(memory: Pick<MeshMemory, 'series'>, query: string): Array<{ metric: Record<string, string>; value: number }> | undefined {
  const m = /^\s*(sum\s*\(\s*)?([a-zA-Z_:][\w:]*)\s*(?:\{([^}]*)\})?\s*(\))?\s*$/.exec(query);
  if (!m || Boolean(m[1]) !== Boolean(m[4])) return undefined;
  const matchers: Array<{ name: string; op: string; value: string }> = [];
  for (const part of (m[3] ?? '').matchAll(/([a-zA-Z_]\w*)\s*(=~|!=|!~|=)\s*"((?:[^"\\]|\\.)*)"/g)) {
    matchers.push({ name: part[1] ?? '', op: part[2] ?? '=', value: part[3] ?? '' });
  }
  const ok = (labels: Record<string, string>) =>
    matchers.every(({ name, op, value }) => {
      const v = labels[name] ?? '';
      if (op === '=') return v === value;
      if (op === '!=') return v !== value;
      const re = new RegExp(`^(?:${value})$`);
      return op === '=~' ? re.test(v) : !re.test(v);
    });
  const hits = [...memory.series.values()].filter((s) => s.labels['__name__'] === m[2] && ok(s.labels));
  if (m[1]) return hits.length === 0 ? [] : [{ metric: {}, value: hits.reduce((a, s) => a + s.value, 0) }];
  return hits.map((s) => ({ metric: s.labels, value: s.value }));
}

// ---------------------------------------------------------------------------------------------------
// The model proper.
// ---------------------------------------------------------------------------------------------------

interface Svc {
  name: string;
  namespace: string;
  host: string;
  clusterIP?: string;
  selector: Record<string, string>;
  ports: Array<{ port: number; targetPort?: number | string }>;
  /** The `networking.istio.io/exportTo` annotation: which namespaces' proxies have the Service in their registry. */
  exportTo: string[] | undefined;
}

/** A request as it travels between proxies (headers lower-case, authority without port). */
export interface SimRequest {
  method: string;
  path: string;
  authority: string;
  port: number;
  headers: Record<string, string>;
}

/** What came back, and how long it took in simulated milliseconds. */
export interface SimAnswer {
  status: number;
  body: string;
  headers?: Record<string, string>;
  ms: number;
  flags: string;
  /** Set by simulated apps for their callers (which reviews version answered, did ratings work). */
  meta?: { version?: Version; ratingsOk?: boolean; reviewsOk?: boolean; detailsOk?: boolean };
}

/** Where a proxy sends a request: a registry service, a ServiceEntry host, or out by IP. */
type Target = { kind: 'service'; svc: Svc } | { kind: 'entry'; se: ServiceEntry; host: string } | { kind: 'unknown' };

const reviewsUnavailable = 'Sorry, product reviews are currently unavailable for this book.';
const ratingsUnavailable = 'Ratings service is currently unavailable';

function workloadName(pod: Pod): string {
  // Deployment pods are <deployment>-<replicaset hash>-<suffix>; Istio's workload label is the deployment.
  return pod.metadata.name.replace(/-[a-z0-9]+-[a-z0-9]+$/, '');
}

function proxyContainer(pod: Pod): string | undefined {
  const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  if (all.some((c) => c.name === 'istio-proxy')) return 'istio-proxy';
  // Gateways run Envoy as their only container.
  const l = pod.metadata.labels ?? {};
  if (l['istio'] === 'ingressgateway' || l['istio'] === 'egressgateway') return pod.spec?.containers?.[0]?.name;
  return undefined;
}

const isGateway = (pod: Pod) => ['ingressgateway', 'egressgateway'].includes(pod.metadata.labels?.['istio'] ?? '');
const hasProxy = (pod: Pod | undefined) => pod !== undefined && (isGateway(pod) || hasIstioProxy(pod as never));

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Whether a proxy in `ns` has the Service in its registry (the Service's exportTo annotation). */
function visibleTo(svc: Svc, ns: string): boolean {
  return visibleFrom(svc.exportTo, svc.namespace, ns);
}

/** How Envoy's router sees one try's answer, for the retry decision (flags as in the access log). */
function tryOutcome(a: SimAnswer): TryOutcome {
  if (a.flags === 'UT') return { status: 504, reset: 'per-try-timeout' };
  if (a.flags === 'UF') return { status: 503, reset: 'connect-failure' };
  if (a.flags === 'UO') return { status: 503, reset: 'overflow' };
  return { status: a.status };
}

export class MeshModel {
  readonly pods: Pod[];
  readonly services: Svc[];
  readonly vss: VirtualService[];
  readonly drs: DestinationRule[];
  readonly ses: ServiceEntry[];
  readonly sidecars: Sidecar[];
  readonly gateways: Gateway[];
  readonly pas: PeerAuthentication[];
  readonly telemetries: Telemetry[];
  readonly aps: AuthorizationPolicy[];
  readonly ras: RequestAuthentication[];
  readonly dns: Map<string, string>;
  readonly meshPolicy: string | undefined;
  /** meshConfig's legacy access log and default logging providers. */
  readonly meshLogging: { accessLogFile?: string; defaultProviders?: string[] };
  /** meshConfig extensionProviders' names, and its default tracing providers. */
  readonly tracingProviders: string[];
  readonly extensionProviders: ExtensionProvider[];
  /** Each proxy's trace-context headers (traceContextFor), worked out once per pod. */
  private readonly traceContexts = new Map<string, TraceContext>();
  readonly meshTracing: { defaultProviders?: string[] };
  /** meshConfig.defaultHttpRetryPolicy, used for routes without `retries`. */
  readonly meshRetries: HttpRoute['retries'];

  constructor(
    objects: KubeObject[],
    readonly memory: MeshMemory,
  ) {
    this.pods = pods(objects).filter((p) => (p.status?.phase ?? 'Running') === 'Running');
    this.services = objects
      .filter((o): o is Obj => o.kind === 'Service')
      .map((o) => {
        const spec = (o.spec ?? {}) as { clusterIP?: string; selector?: Record<string, string>; ports?: Array<{ port: number; targetPort?: number | string }> };
        return {
          name: o.metadata.name,
          namespace: o.metadata.namespace,
          host: `${o.metadata.name}.${o.metadata.namespace}.svc.cluster.local`,
          clusterIP: spec.clusterIP,
          selector: spec.selector ?? {},
          ports: spec.ports ?? [],
          exportTo: serviceExportTo(o.metadata.annotations),
        };
      });
    this.vss = parsed<VirtualService>(objects, 'VirtualService', virtualServiceSchema).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    this.drs = parsed<DestinationRule>(objects, 'DestinationRule', destinationRuleSchema);
    this.ses = parsed<ServiceEntry>(objects, 'ServiceEntry', serviceEntrySchema);
    this.sidecars = parsed<Sidecar>(objects, 'Sidecar', sidecarSchema);
    this.gateways = parsed<Gateway>(objects, 'Gateway', gatewaySchema);
    this.pas = parsed<PeerAuthentication>(objects, 'PeerAuthentication', peerAuthenticationSchema);
    this.telemetries = parsed<Telemetry>(objects, 'Telemetry', telemetrySchema);
    this.aps = parsed<AuthorizationPolicy>(objects, 'AuthorizationPolicy', authorizationPolicySchema);
    this.ras = parsed<RequestAuthentication>(objects, 'RequestAuthentication', requestAuthenticationSchema);
    // CoreDNS `hosts` block entries (the L11/L12 setup adds api.example.com this way).
    this.dns = new Map();
    const corefile = objects.find((o) => o.kind === 'ConfigMap' && o.metadata?.namespace === 'kube-system' && o.metadata?.name === 'coredns') as
      | (KubeObject & { data?: Record<string, string> })
      | undefined;
    for (const block of (corefile?.data?.['Corefile'] ?? '').matchAll(/hosts\s*\{([^}]*)\}/g)) {
      for (const line of (block[1] ?? '').split('\n')) {
        const [ip, ...names] = line.trim().split(/\s+/);
        if (ip && /^\d+\.\d+\.\d+\.\d+$/.test(ip)) for (const n of names) this.dns.set(n.toLowerCase(), ip);
      }
    }
    const meshCm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata?.namespace === 'istio-system' && o.metadata?.name === 'istio') as
      | (KubeObject & { data?: Record<string, string> })
      | undefined;
    try {
      const mesh = parseYaml(meshCm?.data?.['mesh'] ?? '') as {
        outboundTrafficPolicy?: { mode?: string };
        defaultHttpRetryPolicy?: HttpRoute['retries'];
        accessLogFile?: string;
        defaultProviders?: { accessLogging?: string[]; tracing?: string[] };
        extensionProviders?: ExtensionProvider[];
      } | null;
      this.meshPolicy = mesh?.outboundTrafficPolicy?.mode;
      this.meshRetries = mesh?.defaultHttpRetryPolicy ?? undefined;
      this.extensionProviders = mesh?.extensionProviders ?? [];
      this.tracingProviders = this.extensionProviders.map((p) => p.name ?? '');
      this.meshTracing = mesh?.defaultProviders?.tracing ? { defaultProviders: mesh.defaultProviders.tracing } : {};
      this.meshLogging = { ...(mesh?.accessLogFile ? { accessLogFile: mesh.accessLogFile } : {}), ...(mesh?.defaultProviders?.accessLogging ? { defaultProviders: mesh.defaultProviders.accessLogging } : {}) };
    } catch {
      this.meshPolicy = undefined;
      this.meshRetries = undefined;
      this.meshLogging = {};
      this.tracingProviders = [];
      this.extensionProviders = [];
      this.meshTracing = {};
    }
  }

  // ----- bookkeeping ------------------------------------------------------------------------------

  /** Log lines a container has written (app request log, proxy access log). */
  logsOf(ns: string, pod: string, container: string): string[] {
    return (this.memory.logs.get(`${ns}/${pod}/${container}`) ?? []).map((l) => l.line);
  }

  private log(pod: Pod, container: string | undefined, line: string): void {
    if (!container) return;
    const key = `${pod.metadata.namespace}/${pod.metadata.name}/${container}`;
    const lines = this.memory.logs.get(key) ?? [];
    lines.push({ at: Date.now(), line });
    this.memory.logs.set(key, lines);
  }

  private count(labels: Record<string, string>): void {
    const all = { __name__: 'istio_requests_total', request_protocol: 'http', ...labels };
    const key = JSON.stringify(Object.entries(all).sort(([a], [b]) => a.localeCompare(b)));
    const s = this.memory.series.get(key) ?? { labels: all, value: 0 };
    s.value += 1;
    this.memory.series.set(key, s);
    this.memory.requestLog.push({ at: Date.now(), labels: all });
  }

  /**
   * Envoy's default access-log format, when this side of the pod's proxy logs the request: meshConfig.accessLogFile
   * (on in the demo profile) unless a Telemetry configures access logging for it (istio/rules/access-logging.ts).
   */
  private accessLog(pod: Pod, req: SimRequest, a: SimAnswer, cluster: string, upstream: string, side: 'CLIENT' | 'SERVER' = 'CLIENT'): void {
    const logging = accessLoggingFor(this.telemetries, { namespace: pod.metadata.namespace, labels: pod.metadata.labels ?? {} }, side, this.meshLogging);
    if (!logsToStdout(logging, a.status)) return;
    const ts = new Date().toISOString();
    this.log(
      pod,
      proxyContainer(pod),
      `[${ts}] "${req.method} ${req.path} HTTP/1.1" ${a.status} ${a.flags || '-'} ${a.flags === 'UT' ? 'upstream_response_timeout' : 'via_upstream'} - "-" 0 ${a.body.length} ${Math.round(a.ms)} - "-" "${req.headers['user-agent'] ?? '-'}" "${req.headers['x-request-id'] ?? '-'}" "${req.authority}" "${upstream}" ${cluster} - - - - default`,
    );
  }

  private sourceLabels(src: Pod): Record<string, string> {
    return { source_workload: workloadName(src), source_workload_namespace: src.metadata.namespace, source_app: src.metadata.labels?.['app'] ?? 'unknown' };
  }

  private nextRequestId(): string {
    this.memory.requestSerial += 1;
    return `sim-${this.memory.requestSerial.toString(16).padStart(8, '0')}`;
  }

  // ----- lookups ----------------------------------------------------------------------------------

  /** Cluster DNS as the pod's resolv.conf search path sees it, then the CoreDNS hosts block. */
  resolveDns(fromNs: string, hostname: string): { svc?: Svc; ip?: string } | undefined {
    const h = hostname.toLowerCase().replace(/\.$/, '');
    const candidates = [`${h}.${fromNs}.svc.cluster.local`, `${h}.svc.cluster.local`, `${h}.cluster.local`, h];
    for (const c of candidates) {
      const svc = this.services.find((s) => s.host === c);
      if (svc) return { svc, ip: svc.clusterIP };
    }
    const ip = this.dns.get(h);
    if (ip) return { ip, svc: this.services.find((s) => s.clusterIP === ip) };
    if (/^\d+\.\d+\.\d+\.\d+$/.test(h)) return { ip: h, svc: this.services.find((s) => s.clusterIP === h) };
    return undefined;
  }

  /** The registry entry a sidecar matches a Host header against (its outbound virtual hosts). */
  private targetFor(fromNs: string, authority: string): Target {
    const h = authority.toLowerCase();
    const dns = this.resolveDns(fromNs, h);
    // Short names only expand for Services (Envoy's virtual-host domains: name, name.ns, name.ns.svc, fqdn).
    if (dns?.svc && visibleTo(dns.svc, fromNs) && !/^\d/.test(h) && !this.dns.has(h)) return { kind: 'service', svc: dns.svc };
    const se = this.ses.find((s) => s.spec.hosts.some((x) => hostMatches(x.toLowerCase(), h)));
    if (se) return { kind: 'entry', se, host: h };
    return { kind: 'unknown' };
  }

  private targetForHost(host: string, fromNs: string): Target {
    const svc = this.services.find((s) => s.host === host && visibleTo(s, fromNs));
    if (svc) return { kind: 'service', svc };
    const se = this.ses.find((s) => s.spec.hosts.some((x) => hostMatches(x.toLowerCase(), host)));
    if (se) return { kind: 'entry', se, host };
    return { kind: 'unknown' };
  }

  private hostOf(t: Target): string {
    return t.kind === 'service' ? t.svc.host : t.kind === 'entry' ? t.host : '';
  }

  /** Sidecar (namespace-wide, then root namespace) or meshConfig outboundTrafficPolicy; default ALLOW_ANY. */
  outboundPolicy(ns: string): string {
    const wide = (s: Sidecar) => !s.spec.workloadSelector?.labels || Object.keys(s.spec.workloadSelector.labels).length === 0;
    const local = this.sidecars.find((s) => s.metadata.namespace === ns && wide(s));
    if (local) return local.spec.outboundTrafficPolicy?.mode ?? 'ALLOW_ANY';
    const root = this.sidecars.find((s) => s.metadata.namespace === 'istio-system' && wide(s));
    if (root?.spec.outboundTrafficPolicy?.mode) return root.spec.outboundTrafficPolicy.mode;
    return this.meshPolicy ?? 'ALLOW_ANY';
  }

  /** The VirtualService routing a host for a proxy (rules/virtual-services-for-host); first by name wins, one per host. */
  private virtualServiceFor(host: string, context: GatewayRef, clientNs: string): VirtualService | undefined {
    return virtualServicesForHost(this.vss, { host, clientNamespace: clientNs, gateway: context }).applies[0];
  }

  private matchApplies(m: HttpMatch, req: SimRequest, context: GatewayRef, vsNs: string): boolean {
    const path = new URL(req.path, 'http://x').pathname;
    if (m.uri && !matchString(m.uri, path)) return false;
    if (m.method && !matchString(m.method, req.method)) return false;
    if (m.port !== undefined && m.port !== req.port) return false;
    if (!Object.entries(m.headers ?? {}).every(([k, v]) => matchString(v, req.headers[k.toLowerCase()]))) return false;
    if (m.gateways && !m.gateways.some((g) => sameGateway(resolveGatewayRef(g, vsNs), context))) return false;
    return true;
  }

  /** The DestinationRule a client proxy gets for a host (rules/destination-rule-for-host). */
  private drFor(host: string, clientNs: string): DestinationRule | undefined {
    const svc = this.services.find((s) => s.host === host);
    return destinationRuleFor(this.drs, { host, clientNamespace: clientNs, serviceNamespace: svc?.namespace }).dr;
  }

  /** The cluster's merged DestinationRule policy (rules/effective-traffic-policy). */
  private policyFor(host: string, subset: string | undefined, clientNs: string, port?: number) {
    return effectiveTrafficPolicy(this.drFor(host, clientNs), subset, port);
  }

  endpointsOf(svc: Svc, subsetLabels: Record<string, string>): Pod[] {
    if (Object.keys(svc.selector).length === 0) return [];
    return this.pods
      .filter((p) => p.metadata.namespace === svc.namespace && selectorMatches(svc.selector, p.metadata.labels) && selectorMatches(subsetLabels, p.metadata.labels))
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  }

  // ----- the client proxy -------------------------------------------------------------------------

  /**
   * One request leaving `src` for `req.authority:req.port`, as the source's sidecar (or, without one,
   * kube-proxy) handles it. `clientTimeoutMs` is the app's own deadline: when it fires first the proxy
   * records a downstream disconnect (response code 0, flag DC), as Envoy does when the caller hangs up.
   */
  outbound(src: Pod | undefined, req: SimRequest, clientTimeoutMs = Infinity): SimAnswer | { dns: false } | { refused: true } {
    req.headers['x-request-id'] ??= this.nextRequestId();
    const fromNs = src?.metadata.namespace ?? 'default';
    const dns = this.resolveDns(fromNs, req.authority);
    // The app resolves the name itself before any proxy sees the connection.
    if (!dns) return { dns: false };
    if (!src || !hasProxy(src)) {
      // No sidecar: kube-proxy picks any ready endpoint of the Service behind the IP.
      const svc = dns.svc;
      const eps = svc ? this.endpointsOf(svc, {}) : [];
      const ep = eps[Math.floor(this.memory.random() * eps.length)];
      if (!svc || !ep) return { refused: true };
      if (svc.name === 'istio-egressgateway' || svc.name === 'istio-ingressgateway') return { refused: true };
      return this.serve(ep, svc, req, src);
    }
    this.writeTraceContext(src, req);
    const answer = this.sidecarRoute(src, req, 'mesh');
    if (answer.ms > clientTimeoutMs) {
      this.count({ reporter: 'source', ...this.sourceLabels(src), response_code: '0', response_flags: 'DC', destination_service_name: req.authority });
      return { status: 0, body: '', ms: clientTimeoutMs, flags: 'DC' };
    }
    return answer;
  }

  /**
   * Envoy's HTTP route for the request in a context (a sidecar's outbound listener, or a gateway's
   * listener for a Gateway): pick the VirtualService rule, apply its fault, choose a destination by
   * weight, then send with the rule's timeout and retry policy, mirroring if asked. Records the
   * proxy's access-log line and its `reporter="source"` metric.
   */
  private sidecarRoute(src: Pod, req: SimRequest, gateway: Gateway | 'mesh'): SimAnswer {
    const ns = src.metadata.namespace;
    const context: GatewayRef = gateway === 'mesh' ? 'mesh' : { namespace: gateway.metadata.namespace, name: gateway.metadata.name };
    const target = context === 'mesh' ? this.targetFor(ns, req.authority) : this.targetForHost(req.authority, ns);
    if (target.kind === 'unknown') return this.passthrough(src, req, context);
    const host = this.hostOf(target);
    const vs = this.virtualServiceFor(host, context, ns);
    const rules = vs ? (vs.spec.http ?? []) : [{ route: [{ destination: { host } }] } as HttpRoute];
    const rule = rules.find((r) => !r.match || r.match.length === 0 || r.match.some((m) => this.matchApplies(m, req, context, vs?.metadata.namespace ?? 'default')));
    if (!rule?.route?.length) {
      // No rule matched: Envoy answers 404 with flag NR (no route).
      const a: SimAnswer = { status: 404, body: '', ms: 0, flags: 'NR' };
      this.recordSource(src, a, target, undefined);
      return a;
    }
    let delayMs = 0;
    let flags = '';
    // Fault filter runs before the router: delay first, then abort; the aborted request never leaves.
    const fault = effectiveFault(rule.fault);
    if (fault?.delay && faultFires(fault.delay, this.memory.random)) {
      delayMs = fault.delay.ms;
      flags = 'DI';
    }
    if (fault?.abort && faultFires(fault.abort, this.memory.random)) {
      // A gRPC abort answers 200 with grpc-status; the HTTP status the client sees is then 200.
      const a: SimAnswer = { status: fault.abort.httpStatus ?? 200, body: 'fault filter abort', ms: delayMs, flags: flags ? `${flags},FI` : 'FI' };
      this.recordSource(src, a, target, undefined);
      this.accessLog(src, req, a, '-', '-');
      return a;
    }
    // Weights are relative (an all-zero total is rejected by validation); one destination takes all.
    const routes = rule.route;
    const total = routes.reduce((s, r) => s + (routes.length === 1 ? 1 : (r.weight ?? 0)), 0);
    let pick = this.memory.random() * total;
    const chosen = routes.find((r) => (pick -= routes.length === 1 ? 1 : (r.weight ?? 0)) < 0) ?? routes[routes.length - 1]!;
    const vsNs = vs?.metadata.namespace ?? src.metadata.namespace;
    const destHost = resolveHost(chosen.destination.host, vsNs);
    const destTarget = this.targetForHost(destHost, ns);
    const port = chosen.destination.port?.number ?? req.port;
    const subset = chosen.destination.subset;
    const cluster = `outbound|${port}|${subset ?? ''}|${destHost}`;
    const timeoutMs = effectiveRouteTimeout(rule).ms;
    const retry = effectiveRetryPolicy(rule, this.meshRetries);
    let spent = 0;
    let answer: SimAnswer | undefined;
    let upstream = '-';
    for (let attempt = 0; attempt <= (retry?.attempts ?? 0); attempt++) {
      const sent = this.toCluster(src, { ...req, headers: { ...req.headers } }, destTarget, destHost, port, subset, cluster);
      upstream = sent.upstream;
      let a = sent.answer;
      if (retry?.perTryTimeoutMs !== undefined && a.ms > retry.perTryTimeoutMs) a = { status: 504, body: 'upstream request timeout', ms: retry.perTryTimeoutMs, flags: 'UT' };
      spent += a.ms;
      answer = { ...a, ms: spent };
      if (timeoutMs !== undefined && spent >= timeoutMs) {
        answer = { status: 504, body: 'upstream request timeout', ms: timeoutMs, flags: 'UT' };
        break;
      }
      // Locally generated answers (no healthy upstream, no cluster) are final; the rest retry per retryOn.
      if (a.flags === 'UH' || a.flags === 'NC' || !retriesTry(retry, tryOutcome(a))) break;
    }
    answer ??= { status: 503, body: 'no healthy upstream', ms: 0, flags: 'UH' };
    // Mirrors: fire-and-forget copies; the answer is discarded and the Host stays as is (Istio ≥ 1.28).
    for (const m of effectiveMirrors(rule)) {
      if (!faultFires(m, this.memory.random)) continue;
      const mHost = resolveHost(m.destination.host, vsNs);
      const mPort = m.destination.port?.number ?? port;
      this.toCluster(src, { ...req, headers: { ...req.headers } }, this.targetForHost(mHost, ns), mHost, mPort, m.destination.subset, `outbound|${mPort}|${m.destination.subset ?? ''}|${mHost}`);
    }
    const final: SimAnswer = { ...answer, ms: answer.ms + delayMs, flags: [flags, answer.flags].filter(Boolean).join(',') };
    this.recordSource(src, final, destTarget, destHost);
    this.accessLog(src, req, final, cluster, upstream);
    return final;
  }

  /** The client proxy's `reporter="source"` sample (gateways report as source too). */
  private recordSource(src: Pod, a: SimAnswer, target: Target, destHost: string | undefined): void {
    if (!hasProxy(src)) return;
    const dest = target.kind === 'service'
      ? { destination_service: target.svc.host, destination_service_name: target.svc.name, destination_service_namespace: target.svc.namespace }
      : target.kind === 'entry'
        ? { destination_service: target.host, destination_service_name: target.host, destination_service_namespace: target.se.metadata.namespace }
        : { destination_service: destHost ?? 'unknown', destination_service_name: destHost ?? 'unknown', destination_service_namespace: 'unknown' };
    this.count({ reporter: 'source', ...this.sourceLabels(src), ...dest, response_code: String(a.status), response_flags: a.flags || '-' });
  }

  /** ALLOW_ANY: PassthroughCluster to the original destination; REGISTRY_ONLY: 502 from BlackHoleCluster. */
  private passthrough(src: Pod, req: SimRequest, context: GatewayRef): SimAnswer {
    const policy = context === 'mesh' ? this.outboundPolicy(src.metadata.namespace) : (this.meshPolicy ?? 'ALLOW_ANY');
    const name = policy === 'REGISTRY_ONLY' ? 'BlackHoleCluster' : 'PassthroughCluster';
    let a: SimAnswer;
    let upstream = '-';
    if (policy === 'REGISTRY_ONLY') a = { status: 502, body: '', ms: 0, flags: 'NR' };
    else {
      const dns = this.resolveDns(src.metadata.namespace, req.authority);
      const ep = dns?.svc ? this.endpointsOf(dns.svc, {})[0] : undefined;
      if (!dns?.svc || !ep) a = { status: 503, body: 'upstream connect error or disconnect/reset before headers', ms: 0, flags: 'UF' };
      else {
        a = this.serve(ep, dns.svc, req, src, true);
        upstream = `${dns.ip ?? ''}:${req.port}`;
      }
    }
    if (hasProxy(src)) this.count({ reporter: 'source', ...this.sourceLabels(src), destination_service: name, destination_service_name: name, destination_service_namespace: 'unknown', response_code: String(a.status), response_flags: a.flags || '-' });
    this.accessLog(src, req, a, name, upstream);
    return a;
  }

  /**
   * One try to an upstream cluster: endpoint selection (subset labels, outlier ejection seen by this
   * client proxy, load balancer), then the endpoint's own proxy and app.
   */
  private toCluster(src: Pod, req: SimRequest, target: Target, host: string, port: number, subset: string | undefined, cluster: string): { answer: SimAnswer; upstream: string } {
    const noHealthy = { answer: { status: 503, body: 'no healthy upstream', ms: 0, flags: 'UH' }, upstream: '-' };
    if (target.kind === 'unknown') return { answer: { status: 503, body: '', ms: 0, flags: 'NC' }, upstream: '-' };
    const dr = this.drFor(host, src.metadata.namespace);
    const subsetDef = subset === undefined ? undefined : dr?.spec.subsets?.find((s) => s.name === subset);
    // A route to a subset no DestinationRule defines has no cluster behind it (the VS-before-DR 503).
    if (subset !== undefined && !subsetDef) return noHealthy;
    const policy = this.policyFor(host, subset, src.metadata.namespace, port);
    if (target.kind === 'entry') {
      // MESH_EXTERNAL with resolution DNS: the proxy resolves the host and connects out by IP.
      const dns = this.resolveDns(src.metadata.namespace, host);
      const ep = dns?.svc ? this.endpointsOf(dns.svc, {})[0] : undefined;
      if (!dns || !dns.svc || !ep) return { answer: { status: 503, body: 'upstream connect error or disconnect/reset before headers', ms: 0, flags: 'UF' }, upstream: '-' };
      return { answer: this.serve(ep, dns.svc, { ...req, authority: host, port }, src, true), upstream: `${dns.ip ?? ''}:${port}` };
    }
    const eps = this.endpointsOf(target.svc, subsetDef?.labels ?? {});
    const now = Date.now();
    const key = (ep: Pod) => `${src.metadata.namespace}/${src.metadata.name}|${cluster}|${ep.metadata.name}`;
    const healthy = eps.filter((ep) => (this.memory.ejectedUntil.get(key(ep)) ?? 0) <= now);
    // Istio sets Envoy's panic threshold to 0 unless minHealthPercent is set: all ejected → no healthy upstream.
    if (healthy.length === 0) return noHealthy;
    const lb = effectiveLoadBalancer(policy);
    const hashValue = lb.hashKey && 'header' in lb.hashKey ? req.headers[lb.hashKey.header] : undefined;
    // Ring hash: one header value maps to one endpoint; without a hash key Envoy picks at random.
    const ep = hashValue !== undefined ? healthy[hashString(hashValue) % healthy.length]! : healthy[Math.floor(this.memory.random() * healthy.length)]!;
    const answer = target.svc.name === 'istio-egressgateway' && target.svc.namespace === 'istio-system' ? this.gatewayListener(ep, { ...req, port }) : this.serve(ep, target.svc, { ...req, port }, src);
    // Outlier detection: consecutive 5xx (or gateway errors) from one endpoint eject it for the base
    // ejection time, while the ejected share stays within maxEjectionPercent. Local answers do not count.
    const od = effectiveOutlierDetection(policy);
    if (od && !['UH', 'UO', 'NC'].includes(answer.flags)) {
      const k = key(ep);
      const counts = countsAsOutlierError(od, answer.status);
      const n5 = counts.fiveXx ? (this.memory.consecutive5xx.get(k) ?? 0) + 1 : 0;
      const nGw = counts.gateway ? (this.memory.consecutiveGateway.get(k) ?? 0) + 1 : 0;
      this.memory.consecutive5xx.set(k, n5);
      this.memory.consecutiveGateway.set(k, nGw);
      const ejected = eps.filter((e) => (this.memory.ejectedUntil.get(key(e)) ?? 0) > now).length;
      const tripped = (od.consecutive5xx > 0 && n5 >= od.consecutive5xx) || (od.consecutiveGatewayErrors > 0 && nGw >= od.consecutiveGatewayErrors);
      if (tripped && ((ejected + 1) * 100) / eps.length <= od.maxEjectionPercent) {
        this.memory.ejectedUntil.set(k, now + od.baseEjectionMs);
        this.memory.consecutive5xx.set(k, 0);
        this.memory.consecutiveGateway.set(k, 0);
      }
    }
    return { answer, upstream: `${ep.metadata.name}:${port}` };
  }

  /** The egress gateway's listener: a Gateway selecting the pod must serve the Host on the port, then its bound VS routes. */
  private gatewayListener(gwPod: Pod, req: SimRequest): SimAnswer {
    const gw = this.gateways.find(
      (g) =>
        Object.keys(g.spec.selector ?? {}).length > 0 &&
        selectorMatches(g.spec.selector, gwPod.metadata.labels) &&
        g.spec.servers.some((s) => s.port.number === req.port && s.hosts.some((x) => hostMatches(gatewayServerHost(x).toLowerCase(), req.authority))),
    );
    if (!gw) {
      const a: SimAnswer = { status: 404, body: '', ms: 0, flags: 'NR' };
      this.accessLog(gwPod, req, a, '-', '-');
      return a;
    }
    this.writeTraceContext(gwPod, req);
    return this.sidecarRoute(gwPod, req, gw);
  }

  // ----- the server side --------------------------------------------------------------------------

  /** The endpoint's sidecar (destination metric) and its app. `raw`: reached without mesh routing. */
  serve(ep: Pod, svc: Svc, req: SimRequest, src: Pod | undefined, raw = false): SimAnswer {
    const security = this.connectionSecurity(ep, svc, req, src);
    if (!security.accepted) {
      // The server-side proxy resets a plaintext connection under STRICT before any HTTP: no metric.
      // A sidecar client sees the reset as an upstream failure; a client without one sees the reset itself.
      if (src && hasProxy(src)) return { status: 503, body: 'upstream connect error or disconnect/reset before headers. reset reason: connection termination', ms: 0, flags: 'UC' };
      return { status: 0, body: '', ms: 0, flags: 'RESET' };
    }
    if (hasProxy(ep)) this.writeTraceContext(ep, req);
    const answer = (hasProxy(ep) ? this.inboundPolicy(ep, req, src, security.mtls) : undefined) ?? this.app(ep, svc, req, src, security.mtls);
    // The server side's own access-log line (inbound cluster), as the client side writes one outbound.
    if (hasProxy(ep) && !isGateway(ep)) this.accessLog(ep, req, answer, `inbound|${req.port}||`, `127.0.0.6:${req.port}`, 'SERVER');
    if (hasProxy(ep) && !raw) {
      this.count({
        reporter: 'destination',
        ...(src ? this.sourceLabels(src) : { source_workload: 'unknown', source_workload_namespace: 'unknown' }),
        destination_workload: workloadName(ep),
        destination_workload_namespace: ep.metadata.namespace,
        destination_service: svc.host,
        destination_service_name: svc.name,
        destination_service_namespace: svc.namespace,
        response_code: String(answer.status),
        response_flags: '-',
        connection_security_policy: security.mtls ? 'mutual_tls' : 'none',
        destination_app: ep.metadata.labels?.['app'] ?? 'unknown',
        destination_version: ep.metadata.labels?.['version'] ?? 'unknown',
        ...this.customTags(ep, req),
      });
    }
    return answer;
  }

  /**
   * Tags a Telemetry adds to the server-side istio_requests_total, for the CEL attributes the labs use
   * (request.host, destination.port, request.method); other expressions evaluate to "unknown".
   */
  private customTags(ep: Pod, req: SimRequest): Record<string, string> {
    const { added } = metricTags(this.telemetries, { namespace: ep.metadata.namespace, labels: ep.metadata.labels ?? {} }, 'REQUEST_COUNT', 'SERVER');
    const attributes: Record<string, string> = { 'request.host': req.authority, 'string(destination.port)': String(req.port), 'request.method': req.method };
    return Object.fromEntries(Object.entries(added).map(([tag, expr]) => [tag, attributes[expr.replace(/\s+/g, '')] ?? 'unknown']));
  }

  /** mTLS or plaintext for this connection, and whether the server's PeerAuthentication accepts it. */
  connectionSecurity(ep: Pod, svc: Svc, req: SimRequest, src: Pod | undefined): { mtls: boolean; accepted: boolean } {
    if (!hasProxy(ep) || isGateway(ep)) return { mtls: src !== undefined && hasProxy(src) && hasProxy(ep), accepted: true };
    const svcPort = svc.ports.find((p) => p.port === req.port);
    const target = svcPort?.targetPort;
    const containerPort = typeof target === 'number' ? target : target === undefined ? req.port : Number(target) || undefined;
    const { mode } = effectiveMtls(this.pas, { namespace: ep.metadata.namespace, labels: ep.metadata.labels ?? {} }, containerPort);
    const drTls = src ? this.drFor(svc.host, src.metadata.namespace)?.spec.trafficPolicy?.tls?.mode : undefined;
    const mtls = clientUsesMtls({ clientHasProxy: src !== undefined && hasProxy(src), serverHasProxy: true, serverMode: mode, destinationRuleTlsMode: drTls });
    return { mtls, accepted: serverAccepts(mode, mtls) };
  }

  /**
   * The server-side proxy's filters before the app, in Envoy's order: jwt_authn (RequestAuthentication,
   * istio/rules/request-authentication.ts: a rejected token is a local 401 with Envoy's reason; learner
   * clusters are offline, so a `jwksUri` verifies nothing), then RBAC (AuthorizationPolicy,
   * istio/rules/authorization.ts, with the caller's identity only over mTLS and the token's principal
   * and claims): a denial is Envoy's local 403 "RBAC: access denied".
   */
  inboundPolicy(ep: Pod, req: SimRequest, src: Pod | undefined, mtls: boolean): SimAnswer | undefined {
    if (isGateway(ep)) return undefined;
    const workload = { namespace: ep.metadata.namespace, labels: ep.metadata.labels ?? {} };
    const authn = authenticate(jwtRulesForWorkload(this.ras, workload), { headers: req.headers, path: req.path });
    if (authn.status === 'rejected') return { status: 401, body: authn.body, ms: 0, flags: '-' };
    if (this.aps.length === 0) return undefined;
    const srcSa = (src?.spec as { serviceAccountName?: string } | undefined)?.serviceAccountName;
    const decision = authorize(this.aps, workload, {
      method: req.method,
      path: req.path,
      host: req.authority,
      port: req.port,
      principal: mtls && src ? principalOf(src.metadata.namespace, srcSa) : undefined,
      headers: req.headers,
      ...(authn.status === 'authenticated' ? { requestPrincipal: authn.principal, claims: authn.claims } : {}),
    });
    return decision.allowed ? undefined : { status: 403, body: 'RBAC: access denied', ms: 0, flags: '-' };
  }

  /**
   * A proxy's trace-context headers on a request it forwards (istio/rules/tracing `traceContextFor`):
   * a new trace when none came in, else the same trace with this proxy's span id and the caller's
   * sampling decision, as Envoy continues an incoming context.
   */
  private writeTraceContext(pod: Pod, req: SimRequest): void {
    // Every hop of every request asks; the answer only changes with the objects, which are fixed per model.
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    let ctx = this.traceContexts.get(key);
    if (!ctx) {
      ctx = traceContextFor(tracingFor(this.telemetries, { namespace: pod.metadata.namespace, labels: pod.metadata.labels ?? {} }, this.meshTracing), this.extensionProviders);
      this.traceContexts.set(key, ctx);
    }
    if (!ctx.writes) return;
    const hex = (n: number) => Array.from({ length: n }, () => Math.floor(this.memory.random() * 16).toString(16)).join('');
    const sampled = ctx.samplingPercentage >= 100 || this.memory.random() * 100 < ctx.samplingPercentage;
    if (ctx.format === 'w3c') {
      const parent = /^00-([0-9a-f]{32})-[0-9a-f]{16}-([0-9a-f]{2})$/.exec(req.headers['traceparent'] ?? '');
      req.headers['traceparent'] = `00-${parent?.[1] ?? hex(32)}-${hex(16)}-${parent?.[2] ?? (sampled ? '01' : '00')}`;
    } else if (ctx.format === 'b3') {
      req.headers['x-b3-traceid'] ??= hex(32);
      req.headers['x-b3-spanid'] = hex(16);
      req.headers['x-b3-sampled'] ??= sampled ? '1' : '0';
    }
  }

  /**
   * The spans one Bookinfo page load leaves in Jaeger (istio/rules/tracing.ts): each proxy on the path
   * reports its spans when its tracing sends them to the `jaeger` provider, tagged with its literal
   * custom tags; the first reporting proxy samples the trace with its percentage. Apps forward the
   * trace headers, so the spans form one trace.
   */
  recordTrace(ingressPod: Pod | undefined, outcome: SimAnswer): void {
    const proxyOf = (service: string): Pod | undefined =>
      service === 'istio-ingressgateway.istio-system' ? ingressPod : this.pods.find((p) => `${p.metadata.labels?.['app'] ?? ''}.${p.metadata.namespace}` === service && hasProxy(p));
    const full = bookinfoTrace({ ratings: outcome.meta?.reviewsOk === true && outcome.meta.version !== 'v1' });
    const tracing = new Map<string, ReturnType<typeof tracingFor> | undefined>();
    for (const span of full.spans) {
      if (tracing.has(span.service)) continue;
      const pod = proxyOf(span.service);
      const t = pod ? tracingFor(this.telemetries, { namespace: pod.metadata.namespace, labels: pod.metadata.labels ?? {} }, this.meshTracing) : undefined;
      tracing.set(span.service, t && reportsTo(t, 'jaeger', this.tracingProviders) ? t : undefined);
    }
    const first = full.spans.map((sp) => tracing.get(sp.service)).find((t) => t !== undefined);
    if (!first || this.memory.random() * 100 >= first.samplingPercentage) return;
    // Keep the reporting proxies' spans; a parent that did not report is skipped over.
    const kept: FakeTrace['spans'] = [];
    const newIndex = new Map<number, number>();
    full.spans.forEach((span, i) => {
      const t = tracing.get(span.service);
      if (!t) return;
      let parent = span.parent;
      while (parent !== undefined && !newIndex.has(parent)) parent = full.spans[parent]?.parent;
      const literal = Object.fromEntries(Object.entries(t.customTags).filter(([, v]) => !v.startsWith('<')));
      newIndex.set(i, kept.length);
      kept.push({ ...span, tags: { ...span.tags, ...literal }, ...(parent !== undefined ? { parent: newIndex.get(parent)! } : { parent: undefined }) });
    });
    this.memory.traces.push({ spans: kept });
    // Jaeger's memory store keeps a bounded number of traces; so does the model.
    if (this.memory.traces.length > 500) this.memory.traces.shift();
  }

  /**
   * The ingress gateway's own filters for a request arriving from outside (no mTLS identity):
   * RequestAuthentication and AuthorizationPolicy that select the gateway workload, by the same rules
   * as a sidecar's. Undefined: admitted.
   */
  gatewayAdmits(gwPod: Pod | undefined, request: { method: string; path: string; host: string; headers: Record<string, string> }): SimAnswer | undefined {
    if (!gwPod) return undefined;
    const workload = { namespace: gwPod.metadata.namespace, labels: gwPod.metadata.labels ?? {} };
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
    const authn = authenticate(jwtRulesForWorkload(this.ras, workload), { headers, path: request.path });
    if (authn.status === 'rejected') return { status: 401, body: authn.body, ms: 0, flags: '-' };
    if (this.aps.length === 0) return undefined;
    const decision = authorize(this.aps, workload, {
      method: request.method,
      path: request.path,
      host: request.host,
      port: 8080,
      headers,
      ...(authn.status === 'authenticated' ? { requestPrincipal: authn.principal, claims: authn.claims } : {}),
    });
    return decision.allowed ? undefined : { status: 403, body: 'RBAC: access denied', ms: 0, flags: '-' };
  }

  /** Only productpage's proxy filters (mTLS, authorization) for a request from the ingress gateway; undefined = admitted. */
  productpageAdmits(ingressPod: Pod | undefined, method: string, path: string, headers: Record<string, string>): SimAnswer | undefined {
    const svc = this.services.find((s) => s.host === 'productpage.default.svc.cluster.local');
    const ep = svc ? this.endpointsOf(svc, {})[0] : undefined;
    if (!svc || !ep || !hasProxy(ep)) return undefined;
    const req: SimRequest = { method, authority: 'productpage', port: 9080, path, headers: { ...headers } };
    const security = this.connectionSecurity(ep, svc, req, ingressPod);
    if (!security.accepted) return { status: 503, body: 'upstream connect error or disconnect/reset before headers. reset reason: connection termination', ms: 0, flags: 'UC' };
    return this.inboundPolicy(ep, req, ingressPod, security.mtls);
  }

  /** What the app in the pod answers, by image: go-httpbin, the Bookinfo services. */
  private app(ep: Pod, svc: Svc, req: SimRequest, src: Pod | undefined, mtls: boolean): SimAnswer {
    const app = ep.metadata.labels?.['app'] ?? '';
    const url = new URL(req.path, 'http://app');
    if (app === 'reviews') return this.reviewsApp(ep, req);
    if (app === 'ratings') return { status: 200, body: JSON.stringify({ id: 0, ratings: { Reviewer1: 5, Reviewer2: 4 } }), ms: 0, flags: '' };
    if (app === 'details') return { status: 200, body: JSON.stringify({ id: 0, type: 'paperback', pages: 200 }), ms: 0, flags: '' };
    if (app === 'productpage') return this.productpageApp(ep, req);
    // go-httpbin (httpbin in intro, the fake external API): logs one line per request.
    let a: SimAnswer;
    const delay = /^\/delay\/(\d+(?:\.\d+)?)$/.exec(url.pathname);
    if (url.pathname === '/unstable') {
      // go-httpbin /unstable fails with 500 at failure_rate 0.5 by default.
      a = this.memory.random() < 0.5 ? { status: 500, body: '', ms: 0, flags: '' } : { status: 200, body: '', ms: 0, flags: '' };
    } else if (delay) a = { status: 200, body: JSON.stringify({ url: req.path }), ms: Math.min(Number(delay[1]), 10) * 1000, flags: '' };
    else if (url.pathname.startsWith('/anything')) a = { status: 200, body: JSON.stringify({ method: req.method, url: req.path, headers: req.headers }), ms: 0, flags: '' };
    else {
      // Over mTLS the server-side proxy adds the client identity (XFCC).
      const xfcc: Record<string, string> = mtls && src
        ? { 'x-forwarded-client-cert': `By=spiffe://cluster.local/ns/${ep.metadata.namespace}/sa/${svc.name};URI=spiffe://cluster.local/ns/${src.metadata.namespace}/sa/${workloadName(src)}` }
        : {};
      const r = httpbinHost(xfcc)({ method: req.method, path: req.path, headers: { ...req.headers, host: req.authority }, body: '' }) ?? { status: 404, body: '' };
      a = { status: r.status, body: r.body, headers: r.headers, ms: 0, flags: '' };
    }
    const container = ep.spec?.containers?.[0]?.name;
    this.log(ep, container, `time="${new Date().toISOString()}" status=${a.status} method="${req.method}" uri="${req.path}" size_bytes=${a.body.length} duration_ms=${a.ms.toFixed(2)} user_agent="${req.headers['user-agent'] ?? ''}"`);
    return a;
  }

  /** Bookinfo productpage: details, then reviews with a 3 s client timeout and one retry on any failure (productpage.py). */
  private productpageApp(ep: Pod, req: SimRequest): SimAnswer {
    // productpage forwards end-user, user-agent, cookie and the tracing headers.
    const fwd: Record<string, string> = {};
    for (const k of ['end-user', 'user-agent', 'cookie', 'x-request-id', 'authorization']) if (req.headers[k] !== undefined) fwd[k] = req.headers[k];
    const call = (authority: string, path: string, timeout: number) => this.outbound(ep, { method: 'GET', authority, port: 9080, path, headers: { ...fwd } }, timeout);
    let ms = 0;
    const details = call('details', '/details/0', 3_000);
    if ('ms' in details) ms += details.ms;
    const detailsOk = 'ms' in details && details.status === 200;
    let reviews: SimAnswer | undefined;
    for (let i = 0; i < 2; i++) {
      const r = call('reviews', '/reviews/0', 3_000);
      if (!('ms' in r)) break;
      ms += r.ms;
      reviews = r;
      if (r.status === 200) break;
    }
    if (reviews?.status === 200) return { status: 200, body: '', ms, flags: '', meta: { reviewsOk: true, version: reviews.meta?.version, ratingsOk: reviews.meta?.ratingsOk, detailsOk } };
    // A timeout or connection error is reported as 500, an HTTP error as its own status.
    return { status: reviews && reviews.status > 0 ? reviews.status : 500, body: JSON.stringify({ error: reviewsUnavailable }), ms, flags: '', meta: { reviewsOk: false, detailsOk } };
  }

  /** Bookinfo reviews: v2 (black stars) and v3 (red) call ratings with a 10 s / 2.5 s client timeout. */
  private reviewsApp(ep: Pod, req: SimRequest): SimAnswer {
    const version = (ep.metadata.labels?.['version'] ?? 'v1') as Version;
    if (version === 'v1') return { status: 200, body: '', ms: 0, flags: '', meta: { version, ratingsOk: true } };
    const fwd: Record<string, string> = {};
    for (const k of ['end-user', 'user-agent', 'x-request-id', 'authorization']) if (req.headers[k] !== undefined) fwd[k] = req.headers[k];
    const r = this.outbound(ep, { method: 'GET', authority: 'ratings', port: 9080, path: '/ratings/0', headers: fwd }, version === 'v2' ? 10_000 : 2_500);
    const ok = 'ms' in r && r.status === 200;
    return { status: 200, body: '', ms: 'ms' in r ? r.ms : 0, flags: '', meta: { version, ratingsOk: ok } };
  }

  /** Bookinfo behind the ingress gateway (bookinfo-gateway sends these paths to productpage:9080). */
  productpageVia(ingressPod: Pod | undefined, headers: Record<string, string>, method = 'GET', path = '/productpage'): SimAnswer {
    const svc = this.services.find((s) => s.host === 'productpage.default.svc.cluster.local');
    const ep = svc ? this.endpointsOf(svc, {})[0] : undefined;
    if (!svc || !ep) return { status: 503, body: 'no healthy upstream', ms: 0, flags: 'UH' };
    return this.serve(ep, svc, { method, authority: 'productpage', port: 9080, path, headers: { ...headers } }, ingressPod);
  }

  // ----- fortio -----------------------------------------------------------------------------------

  /**
   * `fortio load -c C -n N URL`: C connections keep C requests in flight. The client sidecar's circuit
   * breaker admits maxConnections active requests (HTTP/1.1: one per connection) plus
   * http1MaxPendingRequests queued; the rest overflow at once with 503 UO (upstream_rq_pending_overflow).
   */
  fortio(src: Pod, argv: string[]): { stdout: string; exitCode: number } {
    const opt = (name: string, fallback: number) => {
      const i = argv.indexOf(name);
      return i >= 0 ? Number(argv[i + 1]) : fallback;
    };
    const c = opt('-c', 4);
    const n = opt('-n', 40);
    const target = argv.filter((a) => /^https?:\/\//.test(a)).at(-1) ?? '';
    const url = new URL(target);
    const req = (): SimRequest => ({ method: 'GET', authority: url.hostname, port: Number(url.port || 80), path: url.pathname + url.search, headers: { 'user-agent': `fortio.org/fortio-${fortioVersion}` } });
    const t = this.targetFor(src.metadata.namespace, url.hostname);
    const policy = t.kind === 'service' ? this.policyFor(t.svc.host, undefined, src.metadata.namespace) : {};
    const maxConn = policy.connectionPool?.tcp?.maxConnections ?? 2 ** 32 - 1;
    const maxPending = policy.connectionPool?.http?.http1MaxPendingRequests ?? 2 ** 32 - 1;
    const admitted = Math.min(c, maxConn + maxPending);
    const codes: Record<string, number> = {};
    for (let i = 0; i < n; i++) {
      const slot = i % c;
      let status: number;
      if (slot >= admitted && hasProxy(src)) {
        status = 503;
        const overflow: SimAnswer = { status: 503, body: 'upstream connect error or disconnect/reset before headers. reset reason: overflow', ms: 0, flags: 'UO' };
        this.recordSource(src, overflow, t, undefined);
        this.accessLog(src, req(), overflow, t.kind === 'service' ? `outbound|${url.port || 80}||${t.svc.host}` : '-', '-');
      } else {
        const a = this.outbound(src, req());
        status = 'status' in a ? a.status : -1;
      }
      codes[String(status)] = (codes[String(status)] ?? 0) + 1;
    }
    const lines = [`Fortio ${fortioVersion} running at 0 queries per second, ${c}->${c} procs, for ${n} calls: ${target}`, `Sockets used: ${Math.min(c, n)}`];
    for (const [code, k] of Object.entries(codes)) lines.push(`Code ${code} : ${k} (${((k / n) * 100).toFixed(1)} %)`);
    lines.push(`All done ${n} calls (plus 0 warmup)`);
    return { stdout: `${lines.join('\n')}\n`, exitCode: 0 };
  }

  // ----- istiod -----------------------------------------------------------------------------------

  /** The outbound clusters istiod generates for a proxy in `proxyNs`, with the lbPolicy the DR asks for. */
  configDump(proxyNs: string): unknown {
    const lbPolicy = (host: string, subset?: string, port?: number): string | undefined => {
      const lb = effectiveLoadBalancer(this.policyFor(host, subset, proxyNs, port)).lbPolicy;
      return lb === 'ROUND_ROBIN' ? undefined : lb; // proto3 JSON omits the default value
    };
    const clusters: Array<{ name: string; lbPolicy?: string }> = [];
    for (const svc of this.services.filter((s) => visibleTo(s, proxyNs))) {
      for (const p of svc.ports) {
        clusters.push({ name: `outbound|${p.port}||${svc.host}`, lbPolicy: lbPolicy(svc.host, undefined, p.port) });
        for (const s of this.drFor(svc.host, proxyNs)?.spec.subsets ?? []) clusters.push({ name: `outbound|${p.port}|${s.name}|${svc.host}`, lbPolicy: lbPolicy(svc.host, s.name, p.port) });
      }
    }
    for (const se of this.ses) for (const h of se.spec.hosts) for (const p of se.spec.ports ?? []) clusters.push({ name: `outbound|${p.number}||${h}`, lbPolicy: lbPolicy(h) });
    return {
      configs: [
        {
          '@type': 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump',
          dynamicActiveClusters: clusters.map((c) => ({
            versionInfo: 'sim',
            cluster: { '@type': 'type.googleapis.com/envoy.config.cluster.v3.Cluster', name: c.name, type: 'EDS', ...(c.lbPolicy ? { lbPolicy: c.lbPolicy } : {}) },
          })),
        },
      ],
    };
  }
}

// ---------------------------------------------------------------------------------------------------
// Wiring the model into the harness' fakes.
// ---------------------------------------------------------------------------------------------------

export interface SimulateMeshOptions {
  /** How simulated latency is spent (default: real time, so probes measure it). */
  sleep?: (ms: number) => Promise<void>;
  /** Prometheus has not scraped since: queries answer the counters as they were at this call. */
  scrapeLag?: boolean;
}

const simulatedHosts = new WeakMap<CheckHarness, Set<string>>();
const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function isBookinfoCall(path: string): boolean {
  const p = new URL(path, 'http://x').pathname;
  return p === '/productpage' || /^\/api\/v1\/products\/\d+\/reviews$/.test(p);
}

/** productpage's page when details answered an error: productpage.py renders this block instead. */
function withoutDetails(page: string): string {
  return page.replace(
    /<h4 class="text-center text-primary">Book Details<\/h4><dl>[\s\S]*?<\/dl>/,
    '<h4 class="text-center text-primary">Error fetching product details!</h4><p>Sorry, product details are currently unavailable for this book.</p>',
  );
}

/** productpage's page without its reviews block (it rendered the reviews error instead). */
function withoutReviews(page: string): string {
  const out = page.replace(/<blockquote>[\s\S]*<\/dl>\n?(?=<\/body>)/, `<p><h4>Error fetching product reviews!</h4><p>${reviewsUnavailable}</p></p>\n`);
  if (out === page) throw new Error('mesh-simulator: fake productpage markup changed; cannot render the reviews error');
  return out;
}

function withRatingsError(page: string): string {
  return page.replace(/<font color="(black|red)"><span class="glyphicon glyphicon-star"><\/span><\/font>/, `<font color="$1">${ratingsUnavailable}</font>`);
}

/** Points the harness' fakes at behaviour derived from `objects` (call after `h.api.set(objects)`). */
export function simulateMesh(h: CheckHarness, objects: KubeObject[], options: SimulateMeshOptions = {}): void {
  const sleep = options.sleep ?? realSleep;
  const memory = memoryOfMesh(h);
  const model = new MeshModel(objects, memory);
  const ingressPod = model.pods.find((p) => p.metadata.labels?.['istio'] === 'ingressgateway');

  // The Bookinfo ingress: the page and the reviews API go through productpage → reviews → ratings in the
  // model; fake-bookinfo renders the answer for the reviews version the model chose (it asks `resolve`
  // synchronously while handling the request, so `current` is always this request's context).
  let current: { path: string; headers: Record<string, string>; outcome?: SimAnswer } | undefined;
  h.bookinfo.setRoutes({
    anonymous: {},
    resolve: (user, request) => {
      // Requests straight to the fake's URL (--ingress) have no wrapper context: no latency or page edits.
      const ctx = current ?? { path: request.path, headers: request.headers };
      if (!isBookinfoCall(ctx.path)) {
        // Other paths (login, POST /api/v1/products/0) only pass productpage's own proxy filters here.
        const refused = current ? model.productpageAdmits(ingressPod, request.method, ctx.path, { ...(user ? { 'end-user': user } : {}) }) : undefined;
        return refused ? { failure: { status: refused.status, body: refused.body, everyPath: true } } : { weights: { v1: 1 } };
      }
      memory.ingressCalls.set(user ?? '', (memory.ingressCalls.get(user ?? '') ?? 0) + 1);
      const headers: Record<string, string> = { ...(user ? { 'end-user': user } : {}) };
      if (ctx.headers['user-agent']) headers['user-agent'] = ctx.headers['user-agent'];
      const outcome = model.productpageVia(ingressPod, headers, request.method, ctx.path);
      model.recordTrace(ingressPod, outcome);
      ctx.outcome = outcome;
      const api = !ctx.path.startsWith('/productpage');
      if (outcome.meta?.reviewsOk && outcome.meta.version) return { weights: { [outcome.meta.version]: 1 } };
      // productpage passes the reviews status on from its API; the page itself renders with an error block.
      if (api || !outcome.meta) return { failure: { status: outcome.status, body: outcome.body } };
      return { weights: { v1: 1 } };
    },
  });
  const ingress = async (request: FakeRequest): Promise<FakeResponse> => {
    const refused = model.gatewayAdmits(ingressPod, { method: request.method, path: request.path, host: (request.headers['host'] ?? '').split(':')[0] ?? '', headers: request.headers });
    if (refused) return { status: refused.status, body: refused.body };
    const ctx: { path: string; headers: Record<string, string>; outcome?: SimAnswer } = { path: request.path, headers: request.headers };
    current = ctx;
    const pending = h.bookinfo.handle(request);
    current = undefined;
    const res = await pending;
    const outcome = ctx.outcome;
    if (!outcome) return res;
    await sleep(outcome.ms);
    if (res.status !== 200) return res;
    const api = !new URL(request.path, 'http://x').pathname.startsWith('/productpage');
    if (api) {
      if (outcome.meta?.ratingsOk !== false || outcome.meta.version === 'v1') return res;
      const body = JSON.parse(res.body) as { reviews?: Array<Record<string, unknown>> };
      for (const r of body.reviews ?? []) r['rating'] = { error: ratingsUnavailable };
      return { ...res, body: JSON.stringify(body) };
    }
    const page = outcome.meta?.detailsOk === false ? { ...res, body: withoutDetails(res.body) } : res;
    if (outcome.meta?.reviewsOk === false) return { ...page, body: withoutReviews(page.body) };
    if (outcome.meta?.ratingsOk === false) return { ...page, body: withRatingsError(page.body) };
    return page;
  };
  h.api.setProxyHandler('istio-system/services/istio-ingressgateway:80', (r) => ingress({ ...r, headers: { ...r.headers, host: '10.244.0.9:8080' } }));
  h.upstreams['istio-ingressgateway.istio-system.svc.cluster.local:80'] = ingress;
  h.upstreams['istio-ingressgateway.istio-system'] = ingress;

  const hosts = new Set(
    model.gateways
      .flatMap((g) => g.spec.servers.flatMap((s) => s.hosts.map((x) => gatewayServerHost(x).toLowerCase())))
      .filter((x) => x !== '*' && !x.startsWith('*.')),
  );
  for (const old of simulatedHosts.get(h) ?? []) if (!hosts.has(old)) h.bookinfo.setVirtualHost(old, undefined);
  simulatedHosts.set(h, hosts);
  for (const host of hosts) h.bookinfo.setVirtualHost(host, ingressHost(objects, host));

  // istiod's debug port: proxy sync status, and the config it generates for one proxy.
  const injected = model.pods.filter((p) => hasProxy(p));
  h.api.setProxyHandler('istio-system/services/istiod:15014', (r) => {
    if (r.path.startsWith('/debug/config_dump')) {
      const id = new URL(r.path, 'http://x').searchParams.get('proxyID') ?? '';
      const known = injected.some((p) => `${p.metadata.name}.${p.metadata.namespace}` === id);
      return known ? { status: 200, body: JSON.stringify(model.configDump(id.split('.').at(-1) ?? 'default')) } : { status: 404, body: `proxy not connected: ${id}` };
    }
    return {
      status: 200,
      body: JSON.stringify(injected.map((p) => ({ proxy: `${p.metadata.name}.${p.metadata.namespace}`, cluster_sent: 'n1', cluster_acked: 'n1', listener_sent: 'n1', listener_acked: 'n1', route_sent: 'n1', route_acked: 'n1', endpoint_sent: 'n1', endpoint_acked: 'n1' }))),
    };
  });

  // Commands run in pods: curl through the pod's own proxy, fortio load.
  const upstreamFor = (src: Pod) => (hostname: string, port: number): Upstream | DeadUpstream | undefined => {
    const dns = model.resolveDns(src.metadata.namespace, hostname);
    if (!dns) return undefined;
    if (dns.svc?.name === 'istio-ingressgateway' && dns.svc.namespace === 'istio-system') return ingress;
    return async (request: FakeRequest): Promise<FakeResponse> => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(request.headers)) if (k !== 'host') headers[k.toLowerCase()] = v;
      const a = model.outbound(src, { method: request.method, path: request.path, authority: hostname.toLowerCase(), port, headers });
      if ('dns' in a || 'refused' in a) return { status: 0, body: '' };
      if (a.flags === 'RESET') return { status: 0, body: '', reset: true };
      await sleep(a.ms);
      return { status: a.status, headers: { ...a.headers, ...(hasProxy(src) ? { server: 'envoy' } : {}) }, body: a.body };
    };
  };
  h.api.setExecHandler((call, podObject) => {
    const src = model.pods.find((p) => p.metadata.namespace === call.namespace && p.metadata.name === call.pod) ?? (podObject as Pod);
    if (call.command[0] === 'fortio' && call.command[1] === 'load') return model.fortio(src, call.command);
    return emulateCurl(call.command, h.upstreams, upstreamFor(src));
  });

  // Logs: app containers get the app's request log, proxies their access log.
  for (const p of model.pods) {
    const names = [...(p.spec?.containers ?? []), ...(p.spec?.initContainers ?? [])].map((c) => c.name);
    for (const c of names) {
      const key = `${p.metadata.namespace}/${p.metadata.name}/${c}`;
      h.api.setLogs(p.metadata.namespace, p.metadata.name, c, (since) => {
        const from = since === undefined ? 0 : Date.now() - since * 1000;
        return (memory.logs.get(key) ?? []).filter((l) => l.at >= from).map((l) => `${l.line}\n`).join('');
      });
    }
  }

  h.jaeger.setTraces(memory.traces);
  // L17: Grafana holds the addon's provisioned dashboards and what its running pod saved (gone with the pod: emptyDir).
  h.grafana.setStore(grafanaStoreOf(objects));

  const scraped = options.scrapeLag ? { series: new Map([...memory.series].map(([k, v]) => [k, { ...v }])) } : memory;
  h.prometheus.setHandler(((query) => evaluatePromQl(scraped, query)) satisfies QueryHandler);

  // L19: Kiali reads the same Prometheus (frozen with it under scrapeLag) and the API server's objects.
  h.kiali.setState({
    requests: options.scrapeLag ? [...memory.requestLog] : memory.requestLog,
    workloads: [...new Map(model.pods.map((p) => [`${p.metadata.namespace}/${workloadName(p)}`, { namespace: p.metadata.namespace, name: workloadName(p), app: p.metadata.labels?.['app'], version: p.metadata.labels?.['version'] }])).values()],
    services: objects.filter((o) => o.kind === 'Service').map((o) => ({ namespace: o.metadata?.namespace ?? 'default', name: o.metadata?.name ?? '' })),
    objects,
  });
}
