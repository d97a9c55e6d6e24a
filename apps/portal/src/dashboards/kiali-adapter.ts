import { z } from 'zod';
import { assertKnownVersion } from './addon-version';

// Kiali's graph API answers Cytoscape elements (kiali/kiali graph/config/cytoscape/cytoscape.go:
// Config{timestamp, duration, graphType, elements{nodes[{data}], edges[{data}]}}); rates are
// strings with fixed precision, keyed per protocol (`httpIn`, `httpOut`, `http`, `http5xx`,
// `httpPercentErr`...). The status API (`/api/status`) names the running version.

export const kialiKnownVersions = ['v2.26'] as const;

const traffic = z.object({ protocol: z.string().optional(), rates: z.record(z.string(), z.string()).optional() });

const kialiGraphSchema = z.object({
  timestamp: z.number(),
  duration: z.number(),
  graphType: z.string(),
  elements: z.object({
    nodes: z.array(
      z.object({
        data: z.object({
          id: z.string(),
          nodeType: z.string(),
          namespace: z.string(),
          app: z.string().optional(),
          version: z.string().optional(),
          service: z.string().optional(),
          workload: z.string().optional(),
          isBox: z.string().optional(),
          isDead: z.boolean().optional(),
          isOutside: z.boolean().optional(),
          isRoot: z.boolean().optional(),
          traffic: z.array(traffic).optional(),
        }),
      }),
    ),
    edges: z.array(z.object({ data: z.object({ id: z.string(), source: z.string(), target: z.string(), traffic: traffic.optional() }) })),
  }),
});

const kialiStatusSchema = z.object({ status: z.record(z.string(), z.string()) });

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
  /** The running Kiali's version, refused unless this adapter knows it. */
  parseStatus(json: unknown): string;
  line(summary: KialiGraphSummary): string;
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
      const nodes = graph.elements.nodes.map((n) => n.data).filter((n) => !n.isBox);
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
      const edges = graph.elements.edges.map(({ data }) => {
        const rates = data.traffic?.rates ?? {};
        return { source: label(data.source), target: label(data.target), rps: num(rates.http ?? rates.grpc), errorPercent: num(rates.httpPercentErr ?? rates.grpcPercentErr) };
      });
      const roots = new Set(nodes.filter((n) => n.isRoot).map((n) => n.id));
      const inboundRps = graph.elements.edges.filter((e) => roots.has(e.data.source)).reduce((sum, e) => sum + num(e.data.traffic?.rates?.http), 0);
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
    parseStatus(json) {
      const running = kialiStatusSchema.parse(json).status['Kiali version'] ?? '';
      assertKnownVersion('Kiali', running || '(no version in /api/status)', kialiKnownVersions);
      return running;
    },
    line(s) {
      const health =
        s.failing.length === 0 && s.dead.length === 0
          ? 'all healthy'
          : [s.failing.length > 0 ? `errors on ${s.failing.join(', ')}` : '', s.dead.length > 0 ? `no pods behind ${s.dead.join(', ')}` : ''].filter(Boolean).join('; ');
      return `Kiali: ${s.services.length} services, ${s.edges.length} edges, ${s.inboundRps.toFixed(2)} req/s in, ${health}`;
    },
  };
}
