import { defineCheck, fail, pass, pollBudgets, type Assertion } from '../../check-api';
import { describeTally } from '../shared-curl-batch';
import { promSum } from '../shared-prom-assertion';
import { describeLogs, requestsPerProbe, runMirrorProbe } from './httpbin-versions';

const v2Requests =
  'sum(istio_requests_total{reporter="destination",destination_workload="httpbin-v2",destination_workload_namespace="intro"})';

/**
 * Step 3: clients are still answered (by v1), httpbin-v2's app log gains a copy of each call, and
 * httpbin-v2's sidecar reports the mirrored requests to Prometheus.
 */
export const observeMirror = defineCheck({
  labId: 'l09-mirroring',
  stepId: 'observe-mirror',
  kind: 'telemetry',
  async run(ctx) {
    const out: Assertion[] = [];
    const before = await promSum(ctx, v2Requests);
    const p = await runMirrorProbe(ctx, (l) => l.v1 >= requestsPerProbe && l.v2 >= requestsPerProbe);
    out.push(
      p.calls.ok === requestsPerProbe
        ? pass('L09.CALLS_ANSWERED', `all ${requestsPerProbe} calls are answered`, { actual: describeTally(p.calls) })
        : fail('L09.CALLS_ANSWERED', `all ${requestsPerProbe} calls are answered`, {
            expected: `HTTP 200 × ${requestsPerProbe}`,
            actual: describeTally(p.calls),
            hint: 'Clients should be unaffected by mirroring (mirrored answers are discarded). Check the route to subset v1.',
            next: 'istioctl analyze -n intro',
          }),
    );
    out.push(
      p.logs.v1 >= requestsPerProbe
        ? pass('L09.V1_SERVED', 'httpbin-v1 still answers the clients', { actual: describeLogs(p.logs, p.marker) })
        : fail('L09.V1_SERVED', 'httpbin-v1 still answers the clients', {
            expected: `≥ ${requestsPerProbe} log lines in httpbin-v1`,
            actual: describeLogs(p.logs, p.marker),
            hint: 'The route must keep sending every call to subset v1; only the mirror goes to v2.',
            next: 'kubectl get virtualservice -n intro -o yaml',
          }),
    );
    out.push(
      p.logs.v2 >= requestsPerProbe
        ? pass('L09.V2_MIRRORED', 'httpbin-v2 received a copy of every call', { actual: describeLogs(p.logs, p.marker) })
        : fail('L09.V2_MIRRORED', 'httpbin-v2 received a copy of every call', {
            expected: `≥ ${requestsPerProbe} log lines in httpbin-v2`,
            actual: describeLogs(p.logs, p.marker),
            hint: 'No copies reached v2. Check the mirror (subset v2, percentage 100). Copies keep the original Host since Istio 1.28 — there is no "-shadow" suffix to grep for; the answers to copies never reach the client.',
            next: 'kubectl logs -n intro deploy/httpbin-v2',
          }),
    );
    const res = await ctx.poll(() => promSum(ctx, v2Requests), { until: (v) => v > before, ...pollBudgets.prometheus });
    out.push(
      res.ok
        ? pass('L09.PROM_V2_REQUESTS', 'Prometheus counts the mirrored requests at httpbin-v2', { actual: `${before} → ${res.value}` })
        : fail('L09.PROM_V2_REQUESTS', 'Prometheus counts the mirrored requests at httpbin-v2', {
            expected: `${v2Requests} increases`,
            actual: `${before} → ${res.value}`,
            hint: 'httpbin-v2 reported no new requests. Prometheus scrapes every 15 s: wait a minute and check again.',
            next: `kubectl -n istio-system port-forward svc/prometheus 9090 # query: ${v2Requests}`,
          }),
    );
    return out;
  },
});
