import { createHash } from 'node:crypto';
import http from 'node:http';
import type { KubeObject } from '../cluster-reader';
import { destinationRuleSchema, virtualServiceSchema, type DestinationRule, type VirtualService } from '../istio/istio-schemas';
import { destinationRuleFor } from '../istio/rules/destination-rule-for-host';
import { resolveHost } from '../istio/rules/host-names';
import { subsetState } from '../istio/rules/subsets';
import { listenOnLoopback } from './loopback-server';

/** One request as the receiving proxy reported it (`reporter="destination"` labels of istio_requests_total). */
export interface KialiRequest {
  at: number;
  labels: Record<string, string>;
}

/** A workload Kiali knows from the API server: its app and version labels. */
export interface KialiWorkload {
  namespace: string;
  name: string;
  app?: string;
  version?: string;
}

export interface KialiState {
  requests: KialiRequest[];
  workloads: KialiWorkload[];
  services: Array<{ namespace: string; name: string }>;
  /** Istio objects, for validations. */
  objects: KubeObject[];
}

export interface FakeKiali {
  url: string;
  setState(state: KialiState): void;
  requests: string[];
  close(): Promise<void>;
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const rate = (n: number) => n.toFixed(2);

/** Prometheus-style durations Kiali accepts for `duration` (model.ParseDuration): 90s, 2m, 1h. */
function durationSeconds(text: string | null): number | undefined {
  const m = /^(\d+)(s|m|h)$/.exec(text ?? '10m');
  if (!m) return undefined;
  return Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as 's' | 'm' | 'h'];
}

/**
 * The versioned-app graph Kiali v2.26 draws for one namespace from the requests of the last `duration`
 * (graph/config/common/common.go shapes): an app node per app+version, a service node between caller
 * and callee when `injectServiceNodes=true`, and with the `idleNode` appender a node flagged `isIdle` for
 * each workload and service that had no request in the window. Workloads without app/version labels
 * (the ingress gateway) are workload nodes. Rates are requests per second over the window, as strings.
 */
export function kialiGraph(state: KialiState, params: URLSearchParams, now: number): unknown {
  const ns = params.get('namespaces') ?? '';
  const duration = durationSeconds(params.get('duration')) ?? 600;
  const inject = params.get('injectServiceNodes') === 'true';
  const appenders = params.has('appenders') ? (params.get('appenders') ?? '').split(',').map((a) => a.trim()) : ['idleNode', 'deadNode'];
  const inWindow = state.requests.filter((r) => r.at >= now - duration * 1000 && r.at <= now);
  // Server-side samples draw the graph; a request the client's proxy failed itself (503 NC, UH: no
  // server saw it) exists only as a source sample, drawn as an erroring edge to the service node.
  const recent = inWindow.filter((r) => r.labels['reporter'] === 'destination' || (r.labels['reporter'] === 'source' && /\b(NC|UH|NR|UF|URX|UO)\b/.test(r.labels['response_flags'] ?? '') && r.labels['destination_service_namespace'] !== 'unknown'));
  const nodes = new Map<string, Record<string, unknown>>();
  const edges = new Map<string, { source: string; target: string; count: number; errors: number }>();
  const wl = (namespace: string, name: string) => state.workloads.find((w) => w.namespace === namespace && w.name === name);
  const workloadNode = (namespace: string, name: string): string => {
    const w = wl(namespace, name);
    if (w?.app && w.version) {
      const key = `${namespace}_app_${w.app}_${w.version}`;
      if (!nodes.has(key)) nodes.set(key, { id: md5(key), nodeType: 'app', cluster: 'Kubernetes', namespace, workload: name, app: w.app, version: w.version, healthData: null });
      return key;
    }
    const key = `${namespace}_wl_${name}`;
    if (!nodes.has(key)) nodes.set(key, { id: md5(key), nodeType: 'workload', cluster: 'Kubernetes', namespace, workload: name, app: w?.app ?? name, version: 'latest', healthData: null, ...(namespace !== ns ? { isOutside: true } : {}) });
    return key;
  };
  const serviceNode = (namespace: string, name: string): string => {
    const key = `${namespace}_svc_${name}`;
    if (!nodes.has(key)) nodes.set(key, { id: md5(key), nodeType: 'service', cluster: 'Kubernetes', namespace, service: name, healthData: null });
    return key;
  };
  const edge = (from: string, to: string, failed: boolean) => {
    const key = `${from}>${to}`;
    const e = edges.get(key) ?? { source: from, target: to, count: 0, errors: 0 };
    e.count += 1;
    if (failed) e.errors += 1;
    edges.set(key, e);
  };
  for (const r of recent) {
    const l = r.labels;
    const touches = l['source_workload_namespace'] === ns || l['destination_service_namespace'] === ns;
    if (!touches) continue;
    const failed = /^(5|0$)/.test(l['response_code'] ?? '');
    const from = l['source_workload'] && l['source_workload'] !== 'unknown' ? workloadNode(l['source_workload_namespace'] ?? '', l['source_workload']) : undefined;
    if (l['reporter'] === 'source') {
      if (from && l['destination_service_name']) edge(from, serviceNode(l['destination_service_namespace'] ?? '', l['destination_service_name']), true);
      continue;
    }
    if (!l['destination_workload']) continue;
    const to = workloadNode(l['destination_workload_namespace'] ?? '', l['destination_workload']);
    if (inject && l['destination_service_name']) {
      const svc = serviceNode(l['destination_service_namespace'] ?? '', l['destination_service_name']);
      if (from) edge(from, svc, failed);
      edge(svc, to, failed);
    } else if (from) edge(from, to, failed);
  }
  if (appenders.includes('idleNode')) {
    for (const w of state.workloads.filter((x) => x.namespace === ns)) {
      const key = w.app && w.version ? `${ns}_app_${w.app}_${w.version}` : `${ns}_wl_${w.name}`;
      if (!nodes.has(key)) nodes.set(key, { ...(nodes.get(workloadNode(ns, w.name)) ?? {}), isIdle: true, traffic: [{ protocol: 'http', rates: { httpIn: '0.00', httpOut: '0.00' } }] });
    }
    if (inject)
      for (const s of state.services.filter((x) => x.namespace === ns)) {
        const key = `${ns}_svc_${s.name}`;
        if (!nodes.has(key)) nodes.set(key, { ...(nodes.get(serviceNode(ns, s.name)) ?? {}), isIdle: true, traffic: [{ protocol: 'http', rates: { httpIn: '0.00', httpOut: '0.00' } }] });
      }
  }
  const nodeId = (key: string) => String(nodes.get(key)?.['id'] ?? md5(key));
  const edgeList = [...edges.values()].map((e) => {
    const rates: Record<string, string> = { http: rate(e.count / duration), httpPercentReq: '100.0' };
    if (e.errors > 0) Object.assign(rates, { http5xx: rate(e.errors / duration), httpPercentErr: ((100 * e.errors) / e.count).toFixed(1) });
    const s = nodeId(e.source);
    const t = nodeId(e.target);
    return { data: { id: md5(`${s}.${t}.http`), source: s, target: t, traffic: { protocol: 'http', rates } } };
  });
  return {
    timestamp: Math.floor(now / 1000),
    duration,
    graphType: params.get('graphType') ?? 'workload',
    elements: { nodes: [...nodes.values()].map((data) => ({ data })), edges: edgeList },
  };
}

const gvk = (kind: string) => ({ Group: 'networking.istio.io', Version: 'v1', Kind: kind });

/**
 * `/api/namespaces/{ns}/istio?validate=true` (models/istio_config.go, models/istio_validation.go shapes).
 * Validations come from the rules the checks use: a VirtualService route naming a subset that the
 * DestinationRule applying to its host does not define gets KIA1107 "Subset not found" (a warning in
 * v2.26, business/checkers/virtualservices/subset_presence_checker.go), path spec/http[i]/route[j]/destination.
 * Other Kiali checkers are not modelled.
 */
export function kialiIstioConfig(state: KialiState, ns: string): unknown {
  const parse = <T>(kind: string, schema: { safeParse(o: unknown): { success: boolean; data?: T } }) =>
    state.objects.filter((o) => o.kind === kind).flatMap((o) => {
      const r = schema.safeParse(o);
      return r.success && r.data ? [r.data] : [];
    });
  const vss = parse<VirtualService>('VirtualService', virtualServiceSchema);
  const drs = parse<DestinationRule>('DestinationRule', destinationRuleSchema);
  const validations: Record<string, Record<string, unknown>> = {};
  const add = (kind: string, name: string, checks: Array<Record<string, string>>) => {
    const key = `networking.istio.io/v1, Kind=${kind}`;
    validations[key] ??= {};
    validations[key][`${name}.${ns}`] = { name, namespace: ns, cluster: 'Kubernetes', objectGVK: gvk(kind), valid: !checks.some((c) => c['severity'] === 'error'), checks, references: null };
  };
  for (const vs of vss.filter((v) => v.metadata.namespace === ns)) {
    const checks: Array<Record<string, string>> = [];
    (vs.spec.http ?? []).forEach((rule, i) =>
      (rule.route ?? []).forEach((d, j) => {
        const subset = d.destination.subset;
        if (!subset) return;
        const host = resolveHost(d.destination.host, ns);
        const serviceNamespace = host.split('.')[1];
        const dr = destinationRuleFor(drs, { host, clientNamespace: ns, ...(serviceNamespace ? { serviceNamespace } : {}) }).dr;
        if (subsetState(dr, subset).state !== 'ok') checks.push({ code: 'KIA1107', message: 'Subset not found', severity: 'warning', path: `spec/http[${i}]/route[${j}]/destination` });
      }),
    );
    add('VirtualService', vs.metadata.name, checks);
  }
  for (const dr of drs.filter((d) => d.metadata.namespace === ns)) add('DestinationRule', dr.metadata.name, []);
  const items = (kind: string) => state.objects.filter((o) => o.kind === kind && o.metadata?.namespace === ns);
  return {
    resources: { 'virtualservices.networking.istio.io/v1': items('VirtualService'), 'destinationrules.networking.istio.io/v1': items('DestinationRule') },
    validations,
  };
}

/**
 * A local server answering Kiali v2.26's API under the addon's `/kiali` base path: the namespaces graph,
 * the Istio config list with validations, and `/api/status`. Anything else is Kiali's 404.
 */
export async function startFakeKiali(): Promise<FakeKiali> {
  let state: KialiState = { requests: [], workloads: [], services: [], objects: [] };
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://kiali');
    requests.push(url.pathname + url.search);
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    if (url.pathname === '/kiali/api/status') return send(200, { status: { 'Kiali version': 'v2.26.0', 'Kiali state': 'running' }, externalServices: [], warningMessages: [] });
    if (url.pathname === '/kiali/api/namespaces/graph') {
      if (!url.searchParams.get('namespaces')) return send(400, { error: 'at least one namespace must be specified via the namespaces query parameter.' });
      if (durationSeconds(url.searchParams.get('duration')) === undefined) return send(400, { error: `Invalid duration [${url.searchParams.get('duration') ?? ''}]` });
      return send(200, kialiGraph(state, url.searchParams, Date.now()));
    }
    const ns = /^\/kiali\/api\/namespaces\/([^/]+)\/istio$/.exec(url.pathname)?.[1];
    if (ns) {
      const body = kialiIstioConfig(state, decodeURIComponent(ns)) as { validations: unknown };
      return send(200, url.searchParams.get('validate') === 'true' ? body : { ...body, validations: {} });
    }
    send(404, { error: 'Not Found' });
  });
  const listening = await listenOnLoopback(server);
  return {
    url: listening.url,
    setState(next) {
      state = next;
    },
    requests,
    close: listening.close,
  };
}
