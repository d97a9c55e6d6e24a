import { z } from 'zod';
import type { CheckContext } from '../check-api';

/**
 * Every Kiali API call the checks make, pinned to the Kiali of the learner clusters (v2.26,
 * clusters/versions.ts). Kiali's HTTP API is internal and changes between releases; when the pin
 * moves, record new answers into testdata/ and adapt this one file. Sources (kiali/kiali tag v2.26.0):
 *
 * - Graph: `GET /api/namespaces/graph` (routing/routes.go "GraphNamespaces"); query parameters
 *   `namespaces`, `graphType` (versionedApp), `duration` (Prometheus duration, default 10m),
 *   `injectServiceNodes` (default false), `appenders` (all unless listed; `idleNode` adds services and
 *   workloads without traffic, flagged `isIdle`) per graph/options.go. Answer: graph/config/common/common.go
 *   Config{timestamp, duration, graphType, elements{nodes[{data: NodeData}], edges[{data: EdgeData}]}};
 *   rates are strings keyed per protocol (`http`, `httpIn`, `httpPercentErr`, ...).
 * - Validations per object: `GET /api/namespaces/{namespace}/istio?validate=true` (routing/routes.go
 *   "IstioConfigList", handlers/istio_config.go). `validations` is models.IstioValidations marshalled as
 *   `{"<group>/<version>, Kind=<Kind>": {"<name>.<namespace>": IstioValidation{name, namespace, objectGVK,
 *   valid, checks[{code, message, severity, path}], references}}}` (models/istio_validation.go MarshalJSON,
 *   util/maps.go BuildNameNSKey). `GET /api/istio/validations?namespaces=` only returns counts per
 *   namespace (IstioValidationSummary{errors, warnings, objectCount, namespace, cluster}), no codes.
 * - KIA1107 "Subset not found" is severity **warning** in v2.26 (models/istio_validation.go
 *   "virtualservices.subsetpresent.subsetnotfound", business/checkers/virtualservices/subset_presence_checker.go).
 */
export const kialiVersion = 'v2.26';

const rates = z.record(z.string(), z.string());
const protocolTraffic = z.looseObject({ protocol: z.string().optional(), rates: rates.optional() });

const nodeSchema = z.looseObject({
  id: z.string(),
  parent: z.string().optional(),
  nodeType: z.string(),
  namespace: z.string(),
  app: z.string().optional(),
  version: z.string().optional(),
  service: z.string().optional(),
  workload: z.string().optional(),
  isBox: z.string().optional(),
  isIdle: z.boolean().optional(),
  isDead: z.boolean().optional(),
  isRoot: z.boolean().optional(),
  traffic: z.array(protocolTraffic).optional(),
});
const edgeSchema = z.looseObject({ id: z.string(), source: z.string(), target: z.string(), traffic: protocolTraffic.optional() });

export const kialiGraphSchema = z.looseObject({
  timestamp: z.number(),
  duration: z.number(),
  graphType: z.string(),
  elements: z.looseObject({
    nodes: z.array(z.looseObject({ data: nodeSchema })).nullable(),
    edges: z.array(z.looseObject({ data: edgeSchema })).nullable(),
  }),
});
export type KialiGraphJson = z.infer<typeof kialiGraphSchema>;

const checkSchema = z.looseObject({ code: z.string(), message: z.string(), severity: z.string(), path: z.string().optional() });
const validationSchema = z.looseObject({
  name: z.string(),
  namespace: z.string(),
  objectGVK: z.looseObject({ Group: z.string().optional(), Version: z.string().optional(), Kind: z.string().optional() }).optional(),
  valid: z.boolean(),
  checks: z.array(checkSchema).nullable(),
});
export const kialiConfigListSchema = z.looseObject({
  validations: z.record(z.string(), z.record(z.string(), validationSchema)).nullable().optional(),
});

/** A node of the graph as a learner reads it: `reviews v3`, `reviews` (service), `istio-ingressgateway`. */
export interface GraphNode {
  id: string;
  kind: 'app' | 'service' | 'workload' | 'other';
  namespace: string;
  name: string;
  version?: string;
  idle: boolean;
  label: string;
}

export interface GraphEdge {
  source: GraphNode;
  target: GraphNode;
  /** HTTP (or gRPC) requests per second over the graph's duration. */
  rps: number;
}

export interface KialiGraph {
  durationSeconds: number;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface ObjectValidation {
  kind: string;
  name: string;
  namespace: string;
  valid: boolean;
  checks: Array<{ code: string; message: string; severity: string; path?: string }>;
}

/** The versioned-app graph of one namespace over the last `durationSeconds`, with service nodes and idle nodes. */
export function graphPath(namespace: string, durationSeconds: number): string {
  const q = new URLSearchParams({
    namespaces: namespace,
    graphType: 'versionedApp',
    duration: `${durationSeconds}s`,
    injectServiceNodes: 'true',
    appenders: 'idleNode,deadNode',
  });
  return `/api/namespaces/graph?${q.toString()}`;
}

export const validationsPath = (namespace: string) => `/api/namespaces/${encodeURIComponent(namespace)}/istio?validate=true`;

const num = (v: string | undefined) => (v === undefined ? 0 : Number(v) || 0);

export function parseGraph(json: unknown): KialiGraph {
  const g = kialiGraphSchema.parse(json);
  const nodes: GraphNode[] = (g.elements.nodes ?? [])
    .map((n) => n.data)
    .filter((n) => !n.isBox)
    .map((n) => {
      const kind = n.nodeType === 'app' || n.nodeType === 'service' || n.nodeType === 'workload' ? n.nodeType : 'other';
      const name = (kind === 'service' ? n.service : kind === 'workload' ? n.workload : (n.app ?? n.workload)) ?? n.id;
      const version = kind === 'app' && n.version && n.version !== 'latest' ? n.version : undefined;
      return { id: n.id, kind, namespace: n.namespace, name, ...(version ? { version } : {}), idle: Boolean(n.isIdle), label: version ? `${name} ${version}` : name };
    });
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edges: GraphEdge[] = [];
  for (const { data } of g.elements.edges ?? []) {
    const source = byId.get(data.source);
    const target = byId.get(data.target);
    if (!source || !target) continue;
    const r = data.traffic?.rates ?? {};
    edges.push({ source, target, rps: num(r['http'] ?? r['grpc']) });
  }
  return { durationSeconds: g.duration, nodes, edges };
}

export function parseValidations(json: unknown): ObjectValidation[] {
  const body = kialiConfigListSchema.parse(json);
  const out: ObjectValidation[] = [];
  for (const [gvk, objects] of Object.entries(body.validations ?? {})) {
    // "networking.istio.io/v1, Kind=VirtualService" (schema.GroupVersionKind.String()).
    const kind = /Kind=(\w+)/.exec(gvk)?.[1] ?? gvk;
    for (const v of Object.values(objects)) out.push({ kind, name: v.name, namespace: v.namespace, valid: v.valid, checks: v.checks ?? [] });
  }
  return out.sort((a, b) => `${a.kind}/${a.name}`.localeCompare(`${b.kind}/${b.name}`));
}

/** GET the graph through the API server's service proxy (probe `kiali`). */
export async function readGraph(ctx: Pick<CheckContext, 'probes'>, namespace: string, durationSeconds: number): Promise<KialiGraph> {
  return parseGraph(await ctx.probes.kiali(graphPath(namespace, durationSeconds)));
}

/** Kiali's validations of the Istio objects in one namespace. */
export async function readValidations(ctx: Pick<CheckContext, 'probes'>, namespace: string): Promise<ObjectValidation[]> {
  return parseValidations(await ctx.probes.kiali(validationsPath(namespace)));
}
