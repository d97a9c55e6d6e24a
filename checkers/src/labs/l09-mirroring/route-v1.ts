import { defineCheck, fail, pass, warn, type Assertion, catchAllIndex } from '../../check-api';
import { describeTally } from '../../probes/curl-batch';
import { httpbinToV1 } from './httpbin-route';
import { describeLogs, requestsPerProbe, runMirrorProbe } from './httpbin-versions';
import { mirrorTargets } from './mirror-targets';

/** Step 1: VS httpbin → v1; 10 calls are answered, v1's app log shows them and v2's shows none. */
export const routeV1 = defineCheck({
  labId: 'l09-mirroring',
  stepId: 'route-v1',
  kind: 'probe',
  async run(ctx) {
    const { routed, assertions } = await httpbinToV1(ctx);
    const out: Assertion[] = [...assertions];
    if (out.some((a) => a.status === 'fail') || !routed.vs) return out;
    const http = routed.vs.spec.http ?? [];
    const ci = catchAllIndex(http);
    const mirroring = ci >= 0 && mirrorTargets(http[ci]!, routed.vs.metadata.namespace).some((m) => m.percent > 0);
    const p = await runMirrorProbe(ctx, (l) => l.v1 >= requestsPerProbe);
    out.push(
      p.calls.ok === requestsPerProbe
        ? pass('L09.CALLS_ANSWERED', `all ${requestsPerProbe} calls to httpbin are answered`, {
            actual: describeTally(p.calls),
          })
        : fail('L09.CALLS_ANSWERED', `all ${requestsPerProbe} calls to httpbin are answered`, {
            expected: `HTTP 200 × ${requestsPerProbe}`,
            actual: describeTally(p.calls),
            hint: '503 right after an apply usually means subset v1 is missing from the httpbin DestinationRule (IST0101) or its labels select no pod (IST0173).',
            next: 'istioctl analyze -n intro',
          }),
    );
    out.push(
      p.logs.v1 >= requestsPerProbe
        ? pass('L09.V1_SERVED', 'httpbin-v1 served the calls', { actual: describeLogs(p.logs, p.marker) })
        : fail('L09.V1_SERVED', 'httpbin-v1 served the calls', {
            expected: `≥ ${requestsPerProbe} log lines in httpbin-v1`,
            actual: describeLogs(p.logs, p.marker),
            hint: 'The calls did not reach v1: check the route points at subset v1 and the DestinationRule subset v1 selects the httpbin-v1 pod (label version: v1).',
            next: 'kubectl get pods -n intro --show-labels',
          }),
    );
    if (mirroring) {
      out.push(
        warn('L09.V2_QUIET', 'httpbin-v2 receives nothing yet', {
          expected: '0 log lines in httpbin-v2',
          actual: `mirroring is already configured (${describeLogs(p.logs, p.marker)})`,
          hint: 'You are ahead: step 2 already mirrors traffic to v2, so v2 sees copies.',
        }),
      );
    } else {
      out.push(
        p.logs.v2 === 0
          ? pass('L09.V2_QUIET', 'httpbin-v2 receives nothing yet', { actual: describeLogs(p.logs, p.marker) })
          : fail('L09.V2_QUIET', 'httpbin-v2 receives nothing yet', {
              expected: '0 log lines in httpbin-v2',
              actual: describeLogs(p.logs, p.marker),
              hint: 'Some calls reached v2: another VirtualService or a route without subset spreads traffic over both versions.',
              next: 'kubectl get virtualservice -A',
            }),
      );
    }
    return out;
  },
});
