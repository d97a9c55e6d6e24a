import { defineCheck, finding } from '../../check-api';
import { jaegerServices, labId, loadPages, pageServices, productpageTraces } from './trace-objects';

/**
 * Step 2: after this check's page loads, Jaeger knows productpage and holds a trace through the gateway,
 * productpage, details and reviews. It reports the span count of a trace reviews v1 served (no ratings
 * call) as its observed value, for the learner's prediction.
 */
export const findTraces = defineCheck({
  labId,
  stepId: 'find-traces',
  kind: 'telemetry',
  async run(ctx) {
    await loadPages(ctx, 20);
    const res = await ctx.poll(async () => ({ services: await jaegerServices(ctx), traces: await productpageTraces(ctx) }), {
      until: (v) => v.services.includes('productpage.default') && v.traces.some((t) => pageServices.every((s) => t.services.includes(s))),
      timeoutMs: 30_000,
      intervalMs: 3_000,
      passesInARow: 1,
    });
    const out = [];
    const known = finding('L18.SERVICE_KNOWN');
    out.push(
      res.value.services.includes('productpage.default')
        ? known.pass({ actual: `services: ${res.value.services.join(', ')}` })
        : known.fail({ expected: 'productpage.default among Jaeger services', actual: res.value.services.length ? res.value.services.join(', ') : 'no services', next: 'kubectl get telemetry -A' }),
    );
    const whole = res.value.traces.find((t) => pageServices.every((s) => t.services.includes(s)));
    const trace = finding('L18.WHOLE_TRACE');
    if (!whole) {
      const partial = res.value.traces[0];
      out.push(trace.fail({ expected: `a trace with ${pageServices.join(', ')}`, actual: partial ? `newest trace: ${partial.services.join(', ')} (${partial.spans} spans)` : 'no trace for productpage.default', next: 'kubectl get telemetry -A -o yaml', ...(partial && !partial.services.includes('istio-ingressgateway.istio-system') ? { hint: 'noGateway' } : {}) }));
      return out;
    }
    out.push(trace.pass({ actual: `${whole.spans} spans: ${whole.services.join(', ')}` }));
    const v1 = res.value.traces.find((t) => pageServices.every((s) => t.services.includes(s)) && !t.services.includes('ratings.default'));
    if (v1) ctx.observe(v1.spans, `${v1.spans} spans in trace ${v1.id.slice(0, 8)}… (${v1.services.join(', ')})`, 'Jaeger /api/traces?service=productpage.default, a trace without ratings');
    return out;
  },
});
