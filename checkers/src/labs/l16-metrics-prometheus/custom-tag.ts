import { defineCheck, finding, metricTags, pollBudgets, type Assertion, type Telemetry } from '../../check-api';
import { labId, loadPages, sumBy, total } from './prom-counts';

const telRef = (t: Telemetry) => `Telemetry ${t.metadata.namespace}/${t.metadata.name}`;
const tagged = 'istio_requests_total{reporter="destination",destination_service_name="productpage",request_host!=""}';

/** Why an override in this Telemetry does not give the server-side REQUEST_COUNT request_host. */
function nearMiss(t: Telemetry): { hint: string; params: Record<string, string> } | undefined {
  for (const m of t.spec.metrics ?? []) {
    for (const o of m.overrides ?? []) {
      const tag = o.tagOverrides?.['request_host'];
      if (!tag) continue;
      const match = (o.match ?? {}) as { metric?: string; mode?: string };
      if (match.metric && !['REQUEST_COUNT', 'ALL_METRICS'].includes(match.metric)) return { hint: 'otherMetric', params: { metric: match.metric } };
      if (match.mode === 'CLIENT') return { hint: 'clientOnly', params: {} };
      if (tag.value && tag.value.replace(/\s+/g, '') !== 'request.host') return { hint: 'otherValue', params: { value: tag.value } };
    }
  }
  return undefined;
}

/**
 * Step 3: a Telemetry makes productpage's server-side request count carry request_host (judged on
 * what applies to the workload: any name, namespace or root level), and new series show it.
 */
export const customTag = defineCheck({
  labId,
  stepId: 'custom-tag',
  kind: 'state',
  async run(ctx) {
    const [all, pods] = await Promise.all([ctx.cluster.telemetries(), ctx.cluster.pods('default', 'app=productpage')]);
    const labels = pods[0]?.metadata?.labels ?? { app: 'productpage' };
    const tags = metricTags(all, { namespace: 'default', labels }, 'REQUEST_COUNT', 'SERVER');
    const value = tags.added['request_host'];
    if (value?.replace(/\s+/g, '') !== 'request.host') {
      const local = all.filter((t) => t.metadata.namespace === 'default' || t.metadata.namespace === 'istio-system');
      const ignoredWithTag = tags.ignored.find((t) => JSON.stringify(t.spec).includes('request_host'));
      const miss = local.map((t) => ({ t, miss: nearMiss(t) })).find((x) => x.miss);
      const winner = tags.ignored.length ? all.find((t) => t.metadata.namespace === 'default' && !tags.ignored.includes(t) && !Object.keys(t.spec.selector?.matchLabels ?? {}).length) : undefined;
      const hint = ignoredWithTag ? 'ignored' : miss?.miss?.hint;
      const f = finding('L16.TAG', { winner: winner ? telRef(winner) : '', ignored: tags.ignored.map(telRef).join(', '), ...(miss?.miss?.params ?? {}) });
      return [
        f.fail({
          expected: 'request_host: request.host on REQUEST_COUNT (server side) for productpage',
          actual: value ? `request_host comes from ${value}` : local.length ? `${local.map(telRef).join(', ')} add no request_host` : 'no Telemetry in default or istio-system',
          next: 'kubectl get telemetry -A -o yaml',
          ...(hint ? { hint } : {}),
          ...(miss ? { path: `${telRef(miss.t)} .spec.metrics` } : {}),
        }),
      ];
    }
    const source = tags.from['request_host'];
    const out: Assertion[] = [finding('L16.TAG', { winner: '', ignored: '' }).pass({ actual: source ? `${telRef(source.telemetry)} (${source.level} level)` : 'request_host: request.host', ...(source ? { path: telRef(source.telemetry) } : {}) })];
    await loadPages(ctx, 5);
    const series = await ctx.poll(() => sumBy(ctx, tagged, 'request_host'), { ...pollBudgets.prometheus, until: (m) => total(m) > 0 });
    const f = finding('L16.TAG_SERIES');
    out.push(
      series.ok
        ? f.pass({ actual: `request_host values: ${[...series.value.keys()].join(', ')}` })
        : f.fail({ expected: `${tagged} > 0`, actual: `none after ${Math.round(series.elapsedMs / 1000)} s`, next: 'istioctl proxy-status' }),
    );
    return out;
  },
});
