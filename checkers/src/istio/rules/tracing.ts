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
  const out: Tracing = { providers: mesh.defaultProviders ?? [], samplingPercentage: mesh.defaultSampling ?? 100, customTags: {}, disableSpanReporting: false, from: [], ignored };
  for (const level of ['root', 'namespace', 'workload'] as const) {
    const telemetry = byLevel[level];
    const entry = telemetry?.spec.tracing?.[0];
    if (!telemetry || !entry) continue;
    out.from.push({ telemetry, level });
    const names = (entry.providers ?? []).map((p) => p.name ?? '').filter((n) => n !== '');
    if (names.length) out.providers = names;
    if (entry.randomSamplingPercentage !== undefined) out.samplingPercentage = entry.randomSamplingPercentage;
    if (entry.disableSpanReporting !== undefined) out.disableSpanReporting = entry.disableSpanReporting;
    for (const [name, tag] of Object.entries(entry.customTags ?? {})) out.customTags[name] = tagValue(tag);
  }
  return out;
}

/** Whether this proxy reports spans to `provider` (defined among meshConfig's extension providers). */
export function reportsTo(t: Tracing, provider: string, defined: string[]): boolean {
  return !t.disableSpanReporting && t.providers.includes(provider) && defined.includes(provider);
}
