import type { KubeObject } from '../cluster-reader';
import { fqdn, gatewayServerHost, hostMatches } from '../hosts';
import { findGateway, selectorMatches } from '../istio/find-objects';
import { destinationRuleSchema, gatewaySchema, virtualServiceSchema, type HttpRoute, type StringMatch, type VirtualService } from '../istio/istio-schemas';
import { hasIstioProxy } from '../pods';
import type { CheckHarness } from './check-harness';
import { httpbinHost, type FakeRequest, type FakeResponse, type Version, type Weights } from './fake-bookinfo';

/**
 * A small model of what Envoy would do with the Istio objects in a fake cluster, enough for the
 * labs' probes: how the reviews VirtualService splits traffic per logged-in user (via the end-user
 * header productpage adds), which Hosts the ingress gateway routes to httpbin, which proxies istiod
 * sees, and whether a curl → httpbin call carries a client certificate. It lets solution replays
 * run probe checks against behaviour derived from state rather than hand-set answers.
 */

type Obj = KubeObject & { metadata: { name: string; namespace: string; labels?: Record<string, string> } };

function parsed<T>(objects: KubeObject[], kind: string, schema: { safeParse(v: unknown): { success: boolean; data?: T } }): T[] {
  return objects.filter((o) => o.kind === kind).flatMap((o) => {
    const r = schema.safeParse(o);
    return r.success && r.data ? [r.data] : [];
  });
}

const pods = (objects: KubeObject[]) => objects.filter((o): o is Obj => o.kind === 'Pod') as unknown as Array<Obj & { spec: never }>;

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

/** Reviews versions a request from `user` reaches, or the failure Envoy answers (NR/UH as 503). */
export function reviewsDecision(objects: KubeObject[], user: string | undefined): { weights: Weights } | { failure: { status: number; body: string } } {
  const host = fqdn('reviews', 'default');
  const vss = parsed<VirtualService>(objects, 'VirtualService', virtualServiceSchema).filter(
    (vs) => (!vs.spec.gateways || vs.spec.gateways.includes('mesh')) && vs.spec.hosts.some((h) => fqdn(h, vs.metadata.namespace) === host),
  );
  const reviewPods = pods(objects).filter((p) => p.metadata.namespace === 'default' && p.metadata.labels?.['app'] === 'reviews');
  const versionsOf = (labels: Record<string, string>) =>
    [...new Set(reviewPods.filter((p) => selectorMatches(labels, p.metadata.labels)).map((p) => p.metadata.labels?.['version'] as Version))];
  const vs = vss[0];
  if (!vs) return { weights: Object.fromEntries(versionsOf({}).map((v) => [v, 1])) };
  const rule = (vs.spec.http ?? []).find((r) => ruleMatches(r, user ? { 'end-user': user } : {}, '/reviews/0'));
  if (!rule?.route?.length) return { failure: { status: 404, body: '' } };
  const dr = parsed(objects, 'DestinationRule', destinationRuleSchema).find((d) => fqdn(d.spec.host, d.metadata.namespace) === host);
  const weights: Weights = {};
  for (const r of rule.route) {
    const w = rule.route.length === 1 ? 100 : (r.weight ?? 0);
    if (w <= 0) continue;
    const subset = r.destination.subset;
    const labels = subset === undefined ? {} : dr?.spec.subsets?.find((s) => s.name === subset)?.labels;
    if (labels === undefined) return { failure: { status: 503, body: 'no healthy upstream' } };
    const versions = versionsOf(labels);
    if (versions.length === 0) return { failure: { status: 503, body: 'no healthy upstream' } };
    for (const v of versions) weights[v] = (weights[v] ?? 0) + w / versions.length;
  }
  return { weights };
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
      if (dest && fqdn(dest.host, vs.metadata.namespace) === fqdn('httpbin', 'intro') && (dest.port?.number ?? 8000) === 8000) return httpbinHost()(request);
    }
    return undefined;
  };
}

const simulatedHosts = new WeakMap<CheckHarness, Set<string>>();

/** Points the harness' fakes at behaviour derived from `objects` (call after `h.api.set(objects)`). */
export function simulateMesh(h: CheckHarness, objects: KubeObject[]): void {
  h.bookinfo.setRoutes({ anonymous: {}, resolve: (user) => reviewsDecision(objects, user) });
  const hosts = new Set(
    parsed(objects, 'Gateway', gatewaySchema)
      .flatMap((g) => g.spec.servers.flatMap((s) => s.hosts.map((x) => gatewayServerHost(x).toLowerCase())))
      .filter((x) => x !== '*' && !x.startsWith('*.')),
  );
  for (const old of simulatedHosts.get(h) ?? []) if (!hosts.has(old)) h.bookinfo.setVirtualHost(old, undefined);
  simulatedHosts.set(h, hosts);
  for (const host of hosts) h.bookinfo.setVirtualHost(host, ingressHost(objects, host));
  const injected = pods(objects).filter((p) => hasIstioProxy(p as never));
  h.api.setProxyHandler('istio-system/services/istiod:15014', () => ({
    status: 200,
    body: JSON.stringify(injected.map((p) => ({ proxy: `${p.metadata.name}.${p.metadata.namespace}`, cluster_sent: 'n1', cluster_acked: 'n1', listener_sent: 'n1', listener_acked: 'n1', route_sent: 'n1', route_acked: 'n1', endpoint_sent: 'n1', endpoint_acked: 'n1' }))),
  }));
  const introPod = (app: string) => pods(objects).find((p) => p.metadata.namespace === 'intro' && p.metadata.labels?.['app'] === app);
  const httpbin = introPod('httpbin');
  const curl = introPod('curl');
  if (!httpbin) h.upstreams['httpbin.intro:8000'] = { curlExitCode: 7 };
  else {
    const mtls = hasIstioProxy(httpbin as never) && curl !== undefined && hasIstioProxy(curl as never);
    const xfcc: Record<string, string> = mtls ? { 'x-forwarded-client-cert': 'By=spiffe://cluster.local/ns/intro/sa/httpbin;URI=spiffe://cluster.local/ns/intro/sa/curl' } : {};
    h.upstreams['httpbin.intro:8000'] = (r) => httpbinHost(xfcc)(r) ?? { status: 404, body: '' };
  }
}
