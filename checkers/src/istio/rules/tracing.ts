import type { Telemetry } from '../istio-schemas';
import { rootNamespace as defaultRoot } from './destination-rule-for-host';
import { effectivePolicy, type PolicyLevel, type Workload } from './policy-for-workload';

export interface Tracing {
  /** Providers spans go to (extension provider names from meshConfig). Empty: no spans are reported. */
  providers: string[];
  /** Share of new traces this proxy samples, in percent. */
  samplingPercentage: number;
  /** Tag name → its literal value; header and environment tags appear as `<header x>` / `<env X>`. */
  customTags: Record<string, string>;
  disableSpanReporting: boolean;
  /** Istio 1.30's `disableContextPropagation`: spans are reported, no trace headers are written. */
  disableContextPropagation: boolean;
  /** Which Telemetry set each part (empty without Telemetry tracing). */
  from: Array<{ telemetry: Telemetry; level: PolicyLevel }>;
  /** Same-level Telemetry objects istiod ignores (IST0160). */
  ignored: Telemetry[];
}

function tagValue(tag: unknown): string {
  const t = (tag ?? {}) as { literal?: { value?: string }; header?: { name?: string }; environment?: { name?: string } };
  if (t.literal) return t.literal.value ?? '';
  if (t.header) return `<header ${t.header.name ?? ''}>`;
  if (t.environment) return `<env ${t.environment.name ?? ''}>`;
  return '';
}

/**
 * A workload's proxy tracing (Istio 1.30 pilot/pkg/model/telemetry.go `mergeTracing`; docs
 * tasks/observability/distributed-tracing/telemetry-api): Telemetry from the root namespace, then the
 * namespace, then a selector match (within a level the oldest only, IST0160), each level's first
 * `tracing` entry overriding what it sets: providers, randomSamplingPercentage, disableSpanReporting,
 * and custom tags merged by name. Without Telemetry tracing, meshConfig's default providers (none in
 * the learner clusters) and the install's sampling (the demo profile samples 100%).
 */
export function tracingFor(all: Telemetry[], workload: Workload, mesh: { defaultProviders?: string[]; defaultSampling?: number } = {}, root = defaultRoot): Tracing {
  const { byLevel, ignored } = effectivePolicy(all, workload, root);
  const out: Tracing = { providers: mesh.defaultProviders ?? [], samplingPercentage: mesh.defaultSampling ?? 100, customTags: {}, disableSpanReporting: false, disableContextPropagation: false, from: [], ignored };
  for (const level of ['root', 'namespace', 'workload'] as const) {
    const telemetry = byLevel[level];
    const entry = telemetry?.spec.tracing?.[0];
    if (!telemetry || !entry) continue;
    out.from.push({ telemetry, level });
    const names = (entry.providers ?? []).map((p) => p.name ?? '').filter((n) => n !== '');
    if (names.length) out.providers = names;
    if (entry.randomSamplingPercentage !== undefined) out.samplingPercentage = entry.randomSamplingPercentage;
    if (entry.disableSpanReporting !== undefined) out.disableSpanReporting = entry.disableSpanReporting;
    if (entry.disableContextPropagation !== undefined) out.disableContextPropagation = entry.disableContextPropagation;
    for (const [name, tag] of Object.entries(entry.customTags ?? {})) out.customTags[name] = tagValue(tag);
  }
  return out;
}

/** Whether this proxy reports spans to `provider` (defined among meshConfig's extension providers). */
export function reportsTo(t: Tracing, provider: string, defined: string[]): boolean {
  return !t.disableSpanReporting && t.providers.includes(provider) && defined.includes(provider);
}

/** An extension provider of meshConfig, by name and the key that says its kind (`opentelemetry`, `zipkin`...). */
export type ExtensionProvider = { name?: string } & Record<string, unknown>;

/** Why a proxy writes no trace-context headers, or which ones it writes. */
export type TraceContext =
  | { writes: true; provider: string; format: 'w3c' | 'b3' | 'other'; headers: string[]; samplingPercentage: number }
  | { writes: false; reason: 'noProvider' | 'unknownProvider' | 'reportingDisabled' | 'propagationDisabled'; provider?: string };

/**
 * The trace-context headers a proxy writes into each request it forwards, by its tracing (Istio 1.30
 * pilot/pkg/model/telemetry.go: only the first provider counts, a provider meshConfig does not define
 * disables tracing, and so does `disableSpanReporting`; pilot/pkg/networking/core/tracing.go: without
 * any tracing Telemetry the HCM gets no tracer in these clusters (global.proxy.tracer defaults to
 * "none"), and `disableContextPropagation` sets Envoy's `no_context_propagation`). Envoy's
 * OpenTelemetry tracer creates a span for every request and injects `traceparent` whether or not it
 * samples it, the flags saying which (envoy source/extensions/tracers/opentelemetry/tracer.cc
 * `Span::injectContext`); the Zipkin tracer writes the `x-b3-*` family instead.
 */
export function traceContextFor(t: Tracing, providers: ExtensionProvider[]): TraceContext {
  const name = t.providers[0];
  if (name === undefined) return { writes: false, reason: 'noProvider' };
  const provider = providers.find((p) => p.name === name);
  if (!provider) return { writes: false, reason: 'unknownProvider', provider: name };
  if (t.disableSpanReporting) return { writes: false, reason: 'reportingDisabled', provider: name };
  if (t.disableContextPropagation) return { writes: false, reason: 'propagationDisabled', provider: name };
  const kind = Object.keys(provider).find((k) => k !== 'name');
  if (kind === 'opentelemetry') return { writes: true, provider: name, format: 'w3c', headers: ['traceparent'], samplingPercentage: t.samplingPercentage };
  if (kind === 'zipkin') return { writes: true, provider: name, format: 'b3', headers: ['x-b3-traceid', 'x-b3-spanid', 'x-b3-sampled'], samplingPercentage: t.samplingPercentage };
  return { writes: true, provider: name, format: 'other', headers: [], samplingPercentage: t.samplingPercentage };
}
