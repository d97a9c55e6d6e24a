import { kialiGraphSchema } from '@istio-workshop/checkers/kiali';
import { z } from 'zod';
import { assertKnownVersion } from './addon-version';

// Kiali's graph API answers Cytoscape elements (kiali/kiali v2.26.0 graph/config/common/common.go; the
// zod shape is shared with the checks' adapter, checkers/src/kiali/kiali-api.ts:
// Config{timestamp, duration, graphType, elements{nodes[{data}], edges[{data}]}}); rates are
// strings with fixed precision, keyed per protocol (`httpIn`, `httpOut`, `http`, `http5xx`,
// `httpPercentErr`...). The status API (`/api/status`) names the running version. Health comes from
// `/api/clusters/health?namespaces=&type=app` (models/health.go: ClustersNamespaceHealth
// {namespaceAppHealth: {ns: {app: AppHealth{workloadStatuses, requests{inbound, outbound}}}}}),
// judged with Kiali's default tolerances for HTTP: 5xx degrade above 0 % and fail from 10 %,
// 4xx degrade above 10 % and fail from 20 %; an app with a workload short of replicas is degraded,
// one with none available is failing.

export const kialiKnownVersions = ['v2.26'] as const;

const kialiStatusSchema = z.object({ status: z.record(z.string(), z.string()) });

const codeRates = z.record(z.string(), z.record(z.string(), z.number()));
const kialiHealthSchema = z.object({
  namespaceAppHealth: z
    .record(
      z.string(),
      z.record(
        z.string(),
        z.object({
          workloadStatuses: z.array(z.object({ name: z.string(), desiredReplicas: z.number(), availableReplicas: z.number() })).nullable(),
          requests: z.object({ inbound: codeRates, outbound: codeRates }),
        }),
      ),
    )
    .optional(),
});

export type KialiHealthStatus = 'healthy' | 'degraded' | 'failure';

export interface KialiAppHealth {
  app: string;
  status: KialiHealthStatus;
  /** Why, in words ("no ratings-v1 pod available", "5xx 23.1 % of inbound"). Empty when healthy. */
  reasons: string[];
}

const httpTolerances = [
  { code: /^5\d\d$/, label: '5xx', degraded: 0, failure: 10 },
  { code: /^4\d\d$/, label: '4xx', degraded: 10, failure: 20 },
];

const worse = (a: KialiHealthStatus, b: KialiHealthStatus): KialiHealthStatus => (a === 'failure' || b === 'failure' ? 'failure' : a === 'degraded' || b === 'degraded' ? 'degraded' : 'healthy');

export interface KialiEdgeSummary {
  source: string;
  target: string;
  /** Requests per second over the graph's duration. */
  rps: number;
  /** Share of those that failed (5xx, or 4xx counted as errors by Kiali), 0..100. */
  errorPercent: number;
}

export interface KialiGraphSummary {
  namespace: string;
  /** Distinct services (service nodes, or apps when the graph has no service nodes), in the namespace. */
  services: string[];
  /** Workload versions (`reviews v2`) in the namespace. */
  workloads: string[];
  edges: KialiEdgeSummary[];
  /** Requests per second entering from the graph's roots (the ingress gateway). */
  inboundRps: number;
  /** Nodes with no pods behind them. */
  dead: string[];
  /** Edges with errors, as `source → target`. */
  failing: string[];
}

export interface KialiAdapter {
  version: string;
  graphPath(namespace: string): string;
  statusPath: string;
  parseGraph(json: unknown, namespace: string): KialiGraphSummary;
  healthPath(namespace: string): string;
  parseHealth(json: unknown, namespace: string): KialiAppHealth[];
  /** The running Kiali's version, refused unless this adapter knows it. */
  parseStatus(json: unknown): string;
  line(summary: KialiGraphSummary, health?: KialiAppHealth[]): string;
}

const num = (value: string | undefined) => (value === undefined ? 0 : Number(value) || 0);

export function kialiAdapterFor(version: string): KialiAdapter {
  assertKnownVersion('Kiali', version, kialiKnownVersions);
  return {
    version,
    statusPath: '/kiali/api/status',
    graphPath: (namespace) =>
      `/kiali/api/namespaces/graph?${new URLSearchParams({ namespaces: namespace, graphType: 'versionedApp', duration: '60s', injectServiceNodes: 'true', boxBy: 'app', appenders: 'deadNode' }).toString()}`,
    parseGraph(json, namespace) {
      const graph = kialiGraphSchema.parse(json);
      const nodes = (graph.elements.nodes ?? []).map((n) => n.data).filter((n) => !n.isBox);
      const byId = new Map(nodes.map((n) => [n.id, n]));
      const label = (id: string) => {
        const n = byId.get(id);
        if (!n) return id;
        if (n.nodeType === 'service') return n.service ?? id;
        return [n.app ?? n.workload ?? id, n.version].filter(Boolean).join(' ');
      };
      const inNamespace = nodes.filter((n) => n.namespace === namespace);
      const serviceNodes = inNamespace.filter((n) => n.nodeType === 'service' && n.service);
      const services = [...new Set(serviceNodes.length > 0 ? serviceNodes.map((n) => n.service ?? '') : inNamespace.map((n) => n.app ?? '').filter((a) => a && a !== 'unknown'))].sort();
      const workloads = inNamespace.filter((n) => n.nodeType === 'app' || n.nodeType === 'workload').map((n) => label(n.id)).sort();
      const edges = (graph.elements.edges ?? []).map(({ data }) => {
        const rates = data.traffic?.rates ?? {};
        return { source: label(data.source), target: label(data.target), rps: num(rates.http ?? rates.grpc), errorPercent: num(rates.httpPercentErr ?? rates.grpcPercentErr) };
      });
      const roots = new Set(nodes.filter((n) => n.isRoot).map((n) => n.id));
      const inboundRps = (graph.elements.edges ?? []).filter((e) => roots.has(e.data.source)).reduce((sum, e) => sum + num(e.data.traffic?.rates?.http), 0);
      return {
        namespace,
        services,
        workloads,
        edges,
        inboundRps,
        dead: nodes.filter((n) => n.isDead).map((n) => label(n.id)),
        failing: edges.filter((e) => e.errorPercent > 0).map((e) => `${e.source} → ${e.target}`),
      };
    },
    healthPath: (namespace) => `/kiali/api/clusters/health?${new URLSearchParams({ namespaces: namespace, type: 'app', rateInterval: '60s' }).toString()}`,
    parseHealth(json, namespace) {
      const apps = kialiHealthSchema.parse(json).namespaceAppHealth?.[namespace] ?? {};
      return Object.entries(apps)
        .map(([app, health]) => {
          let status: KialiHealthStatus = 'healthy';
          const reasons: string[] = [];
          for (const w of health.workloadStatuses ?? []) {
            if (w.desiredReplicas > 0 && w.availableReplicas === 0) {
              status = worse(status, 'failure');
              reasons.push(`no ${w.name} pod available`);
            } else if (w.availableReplicas < w.desiredReplicas) {
              status = worse(status, 'degraded');
              reasons.push(`${w.name} ${w.availableReplicas}/${w.desiredReplicas} available`);
            }
          }
          const codes = health.requests.inbound.http ?? {};
          const total = Object.values(codes).reduce((sum, r) => sum + r, 0);
          for (const t of httpTolerances) {
            if (total <= 0) break;
            const share = (100 * Object.entries(codes).reduce((sum, [code, r]) => (t.code.test(code) ? sum + r : sum), 0)) / total;
            const judged: KialiHealthStatus = share >= t.failure ? 'failure' : share > t.degraded ? 'degraded' : 'healthy';
            if (judged !== 'healthy') {
              status = worse(status, judged);
              reasons.push(`${t.label} ${share.toFixed(1)} % of inbound`);
            }
          }
          return { app, status, reasons };
        })
        .sort((a, b) => a.app.localeCompare(b.app));
    },
    parseStatus(json) {
      const running = kialiStatusSchema.parse(json).status['Kiali version'] ?? '';
      assertKnownVersion('Kiali', running || '(no version in /api/status)', kialiKnownVersions);
      return running;
    },
    line(s, health = []) {
      const unwell = health.filter((h) => h.status !== 'healthy').map((h) => `${h.app} ${h.status === 'failure' ? 'failing' : 'degraded'} (${h.reasons.join(', ')})`);
      const problems = [
        ...unwell,
        s.failing.length > 0 ? `errors on ${s.failing.join(', ')}` : '',
        s.dead.length > 0 ? `no pods behind ${s.dead.join(', ')}` : '',
      ].filter(Boolean);
      const healthWords = problems.length === 0 ? 'all healthy' : problems.join('; ');
      return `Kiali: ${s.services.length} services, ${s.edges.length} edges, ${s.inboundRps.toFixed(2)} req/s in, ${healthWords}`;
    },
  };
}
