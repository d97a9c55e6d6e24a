import type { Telemetry } from '../istio-schemas';
import { rootNamespace as defaultRoot } from './destination-rule-for-host';
import { effectivePolicy, type PolicyLevel, type Workload } from './policy-for-workload';

export type MetricName = 'REQUEST_COUNT' | 'REQUEST_DURATION' | 'REQUEST_SIZE' | 'RESPONSE_SIZE' | 'TCP_OPENED_CONNECTIONS' | 'TCP_CLOSED_CONNECTIONS' | 'TCP_SENT_BYTES' | 'TCP_RECEIVED_BYTES' | 'GRPC_REQUEST_MESSAGES' | 'GRPC_RESPONSE_MESSAGES';

export interface MetricTags {
  /** Tag name → the CEL expression its value comes from (added or changed tags; removed ones absent). */
  added: Record<string, string>;
  removed: string[];
  /** Which Telemetry set each added tag. */
  from: Record<string, { telemetry: Telemetry; level: PolicyLevel }>;
  /** Same-level Telemetry objects istiod ignores (IST0160 for two selector-less ones in a namespace). */
  ignored: Telemetry[];
}

const usesPrometheus = (providers: Array<{ name?: string }> | undefined) => !providers || providers.length === 0 || providers.some((p) => p.name === 'prometheus');

function matches(match: unknown, metric: MetricName, side: 'CLIENT' | 'SERVER'): boolean {
  const m = (match ?? {}) as { metric?: string; customMetric?: string; mode?: string };
  const metricOk = m.customMetric === undefined && (m.metric === undefined || m.metric === 'ALL_METRICS' || m.metric === metric);
  const modeOk = m.mode === undefined || m.mode === 'CLIENT_AND_SERVER' || m.mode === side;
  return metricOk && modeOk;
}

/**
 * The tags a workload's proxy adds to (or removes from) one standard metric for the Prometheus
 * provider (Istio 1.30 pilot/pkg/model/telemetry.go `mergeMetrics`; docs tasks/observability/metrics/
 * customize-metrics): Telemetry from the root namespace, then the workload's namespace, then a
 * selector match, each level's overrides applied after the one above (a later UPSERT of a tag wins,
 * REMOVE drops it); within a level only the oldest Telemetry counts. Overrides match by `metric`
 * (or ALL_METRICS) and `mode` (CLIENT_AND_SERVER by default).
 */
export function metricTags(all: Telemetry[], workload: Workload, metric: MetricName, side: 'CLIENT' | 'SERVER', root = defaultRoot): MetricTags {
  const { byLevel, ignored } = effectivePolicy(all, workload, root);
  const out: MetricTags = { added: {}, removed: [], from: {}, ignored };
  for (const level of ['root', 'namespace', 'workload'] as const) {
    const telemetry = byLevel[level];
    if (!telemetry) continue;
    for (const entry of telemetry.spec.metrics ?? []) {
      if (!usesPrometheus(entry.providers as Array<{ name?: string }> | undefined)) continue;
      for (const override of entry.overrides ?? []) {
        if (!matches(override.match, metric, side)) continue;
        for (const [tag, op] of Object.entries(override.tagOverrides ?? {})) {
          if ((op.operation ?? 'UPSERT').toUpperCase() === 'REMOVE') {
            delete out.added[tag];
            delete out.from[tag];
            if (!out.removed.includes(tag)) out.removed.push(tag);
          } else if (op.value) {
            out.added[tag] = op.value;
            out.from[tag] = { telemetry, level };
            out.removed = out.removed.filter((t) => t !== tag);
          }
        }
      }
    }
  }
  return out;
}
