import { z } from 'zod';
import { isReady, readMeshConfig, tracingFor, type CheckContext, type Telemetry, type Tracing } from '../../check-api';

export const labId = 'l18-tracing-jaeger';
export const telRef = (t: Telemetry) => `Telemetry ${t.metadata.namespace}/${t.metadata.name}`;
/** The provider the learner clusters' meshConfig defines for the Jaeger addon (OpenTelemetry to jaeger-collector). */
export const jaegerProvider = 'jaeger';

/** meshConfig's extension provider names and default tracing providers. */
export async function meshTracing(ctx: Pick<CheckContext, 'cluster'>): Promise<{ defined: string[]; defaultProviders: string[] }> {
  const mesh = await readMeshConfig(ctx);
  return { defined: (mesh.extensionProviders ?? []).map((p) => p.name ?? ''), defaultProviders: mesh.defaultProviders?.tracing ?? [] };
}

/** Tracing as the proxies of the ingress gateway and productpage get it (the first two hops of a page load). */
export async function pathTracing(ctx: Pick<CheckContext, 'cluster'>): Promise<{ all: Telemetry[]; defined: string[]; gateway: Tracing; productpage: Tracing }> {
  const [all, mesh, gw, pp] = await Promise.all([ctx.cluster.telemetries(), meshTracing(ctx), ctx.cluster.pods('istio-system', 'istio=ingressgateway'), ctx.cluster.pods('default', 'app=productpage')]);
  const labels = (pods: typeof gw, fallback: Record<string, string>) => (pods.find(isReady) ?? pods[0])?.metadata?.labels ?? fallback;
  const defaults = { defaultProviders: mesh.defaultProviders };
  return {
    all,
    defined: mesh.defined,
    gateway: tracingFor(all, { namespace: 'istio-system', labels: labels(gw, { istio: 'ingressgateway' }) }, defaults),
    productpage: tracingFor(all, { namespace: 'default', labels: labels(pp, { app: 'productpage' }) }, defaults),
  };
}

const tagSchema = z.looseObject({ key: z.string(), value: z.unknown() });
const spanSchema = z.looseObject({ spanID: z.string(), operationName: z.string(), processID: z.string(), tags: z.array(tagSchema).default([]) });
const traceSchema = z.looseObject({ traceID: z.string(), spans: z.array(spanSchema), processes: z.record(z.string(), z.looseObject({ serviceName: z.string() })) });
const tracesSchema = z.looseObject({ data: z.array(traceSchema).nullable() });
const servicesSchema = z.looseObject({ data: z.array(z.string()).nullable() });

export interface SeenTrace {
  id: string;
  services: string[];
  spans: number;
  tags: Array<Record<string, string>>;
}

/** Jaeger's services (query API `/api/services`). */
export async function jaegerServices(ctx: CheckContext): Promise<string[]> {
  return servicesSchema.parse(await ctx.probes.jaeger('/api/services')).data ?? [];
}

/** Traces that include productpage from the last ten minutes, newest first as Jaeger returns them. */
export async function productpageTraces(ctx: CheckContext): Promise<SeenTrace[]> {
  const body = tracesSchema.parse(await ctx.probes.jaeger('/api/traces?service=productpage.default&lookback=10m&limit=20'));
  return (body.data ?? []).map((t) => ({
    id: t.traceID,
    services: [...new Set(t.spans.map((s) => t.processes[s.processID]?.serviceName ?? '?'))].sort(),
    spans: t.spans.length,
    tags: t.spans.map((s) => Object.fromEntries(s.tags.map((tag) => [tag.key, String(tag.value)]))),
  }));
}

/** Page loads through the ingress gateway, so fresh traces exist. */
export async function loadPages(ctx: CheckContext, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await ctx.probes.ing({ path: '/productpage' });
}

export const pageServices = ['details.default', 'istio-ingressgateway.istio-system', 'productpage.default', 'reviews.default'];
