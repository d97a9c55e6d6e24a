import { defineCheck, fail, pass, pollBudgets, type Assertion, type CurlResult } from '../../check-api';

const ejected = (r: CurlResult) => r.httpCode === 503 && r.body.includes('no healthy upstream');

/**
 * Step 4 (stretch): from the curl pod, one call to /status/500 makes its sidecar eject httpbin
 * (consecutive5xxErrors 1, maxEjectionPercent 100); the next /get gets 503 "no healthy upstream" (UH).
 * Relies on istiod disabling Envoy's panic threshold when minHealthPercent is unset (CURRICULUM: verify).
 */
export const outlierEjection = defineCheck({
  labId: 'l08-circuit-breaking',
  stepId: 'outlier-ejection',
  kind: 'probe',
  async run(ctx) {
    const out: Assertion[] = [];
    const trigger = await ctx.probes.curl('intro', 'app=curl', { url: 'http://httpbin:8000/status/500', maxTimeSeconds: 5 });
    const res = await ctx.poll(() => ctx.probes.curl('intro', 'app=curl', { url: 'http://httpbin:8000/get', maxTimeSeconds: 5 }), {
      until: ejected,
      timeoutMs: 5_000,
      intervalMs: pollBudgets.propagation.intervalMs,
      passesInARow: 1,
    });
    const title = 'after one 500, httpbin is ejected: /get answers 503 "no healthy upstream"';
    const r = res.value;
    out.push(
      res.ok
        ? pass('L08.OUTLIER_EJECTED', title, { actual: `HTTP 503 no healthy upstream (after /status/500 → ${trigger.httpCode})` })
        : fail('L08.OUTLIER_EJECTED', title, {
            expected: '/get → 503 "no healthy upstream" right after /status/500',
            actual: `/status/500 → ${trigger.httpCode}, then /get → ${r.httpCode}${r.body ? ` ${r.body.slice(0, 60)}` : ''}`,
            hint:
              trigger.httpCode !== 500 && trigger.httpCode !== 503
                ? 'The curl pod could not reach httpbin at all; check the pods in namespace intro.'
                : 'httpbin was not ejected. Check outlierDetection on the httpbin DestinationRule: consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 3m, maxEjectionPercent: 100 (and no minHealthPercent).',
            next: 'kubectl get destinationrule -n intro -o yaml',
          }),
    );
    return out;
  },
});
