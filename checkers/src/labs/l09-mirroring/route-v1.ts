import { defineCheck, finding, type Assertion, catchAllIndex } from '../../check-api';
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
    const answered = finding('L09.CALLS_ANSWERED', { count: requestsPerProbe });
    const v1Served = finding('L09.V1_SERVED');
    const v2Quiet = finding('L09.V2_QUIET');
    out.push(
      p.calls.ok === requestsPerProbe
        ? answered.pass({ actual: describeTally(p.calls) })
        : answered.fail({
            expected: `HTTP 200 × ${requestsPerProbe}`,
            actual: describeTally(p.calls),
            next: 'istioctl analyze -n intro',
          }),
    );
    out.push(
      p.logs.v1 >= requestsPerProbe
        ? v1Served.pass({ actual: describeLogs(p.logs, p.marker) })
        : v1Served.fail({
            expected: `≥ ${requestsPerProbe} log lines in httpbin-v1`,
            actual: describeLogs(p.logs, p.marker),
            next: 'kubectl get pods -n intro --show-labels',
          }),
    );
    if (mirroring) {
      out.push(
        v2Quiet.warn({
          expected: '0 log lines in httpbin-v2',
          actual: `mirroring is already configured (${describeLogs(p.logs, p.marker)})`,
          hint: 'ahead',
        }),
      );
    } else {
      out.push(
        p.logs.v2 === 0
          ? v2Quiet.pass({ actual: describeLogs(p.logs, p.marker) })
          : v2Quiet.fail({
              expected: '0 log lines in httpbin-v2',
              actual: describeLogs(p.logs, p.marker),
              next: 'kubectl get virtualservice -A',
            }),
      );
    }
    return out;
  },
});
