import { defineCheck, effectivePolicy, finding, type Telemetry } from '../../check-api';
import { jaegerProvider, labId, pathTracing, telRef } from './trace-objects';

const traces = (t: Telemetry) => (t.spec.tracing ?? []).length > 0;

/**
 * Step 1: mesh-wide tracing to the jaeger provider, judged on what the ingress gateway's and
 * productpage's proxies get (so a Telemetry in default alone, which leaves the gateway out, fails).
 */
export const enableTracing = defineCheck({
  labId,
  stepId: 'enable-tracing',
  kind: 'state',
  async run(ctx) {
    const { all, defined, gateway, productpage } = await pathTracing(ctx);
    const ok = (t: typeof gateway) => !t.disableSpanReporting && t.providers.includes(jaegerProvider) && t.samplingPercentage > 0;
    const f = (params: Record<string, string>) => finding('L18.TRACING', params);
    const next = 'kubectl get telemetry -A -o yaml';
    if (ok(gateway) && ok(productpage)) {
      const ref = gateway.from.at(-1) ? telRef(gateway.from.at(-1)!.telemetry) : '';
      const low = Math.min(gateway.samplingPercentage, productpage.samplingPercentage);
      const base = f({ telemetry: ref, percent: String(low) });
      return [low < 100 ? base.pass({ actual: `${ref}: jaeger, ${low}% of requests`, note: 'lowSampling' }) : base.pass({ actual: `${ref}: jaeger, 100% of requests`, path: ref })];
    }
    const tracing = all.filter(traces);
    const ignored = effectivePolicy(all, { namespace: 'istio-system', labels: {} }).ignored.find(traces);
    const typo = tracing.flatMap((t) => (t.spec.tracing ?? []).flatMap((e) => (e.providers ?? []).map((p) => ({ t, name: p.name ?? '' })))).find((x) => !defined.includes(x.name));
    const inDefault = tracing.find((t) => t.metadata.namespace !== 'istio-system');
    const zero = tracing.find((t) => (t.spec.tracing ?? []).some((e) => e.randomSamplingPercentage === 0));
    const near = ignored
      ? { hint: 'ignored', t: ignored }
      : typo
        ? { hint: 'unknownProvider', t: typo.t, provider: typo.name }
        : zero
          ? { hint: 'zeroSampling', t: zero }
          : inDefault && ok(productpage) && !ok(gateway)
            ? { hint: 'notMeshWide', t: inDefault }
            : undefined;
    return [
      f({ telemetry: near ? telRef(near.t) : '', namespace: near?.t.metadata.namespace ?? '', provider: near?.provider ?? '', percent: '' }).fail({
        expected: `spans from the ingress gateway and productpage to provider ${jaegerProvider}`,
        actual: `ingress gateway: ${gateway.providers.join(', ') || 'no provider'}, productpage: ${productpage.providers.join(', ') || 'no provider'}`,
        next,
        ...(near ? { hint: near.hint, path: `${telRef(near.t)} .spec.tracing` } : {}),
      }),
    ];
  },
});
