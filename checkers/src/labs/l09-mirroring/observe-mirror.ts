import { catchAllIndex, defineCheck, finding, routeShares, type Assertion } from '../../check-api';
import { describeTally } from '../../probes/curl-batch';
import { promBaseline, promRoseAssertion } from '../../probes/prom-assertion';
import { httpbinToV1 } from './httpbin-route';
import { describeLogs, requestsPerProbe, runMirrorProbe } from './httpbin-versions';
import { mirrorTargets, type MirrorTarget } from './mirror-targets';

const v2Requests =
  'sum(istio_requests_total{reporter="destination",destination_workload="httpbin-v2",destination_workload_namespace="intro"})';

/** Which L09.V2_MIRRORED hint names why v2 saw no copies, from the mirror the catch-all rule declares. */
function noCopiesHint(targets: MirrorTarget[]): string | undefined {
  if (targets.length === 0) return 'noMirror';
  if (targets.some((t) => t.subset === 'v1') && !targets.some((t) => t.subset === 'v2')) return 'mirrorsV1';
  if (targets.every((t) => t.percent <= 0)) return 'zeroPercent';
  return undefined;
}

/**
 * Step 3: the route still sends clients to v1, clients are answered, httpbin-v2's app log gains a copy
 * of each call, and httpbin-v2's sidecar reports the mirrored requests to Prometheus. The route is read
 * from the VS because v1 and v2 logs alone cannot tell "v1 answers, v2 gets copies" from the reverse.
 */
export const observeMirror = defineCheck({
  labId: 'l09-mirroring',
  stepId: 'observe-mirror',
  kind: 'telemetry',
  async run(ctx) {
    const out: Assertion[] = [];
    const { routed, assertions } = await httpbinToV1(ctx);
    const http = routed.vs?.spec.http ?? [];
    const ci = catchAllIndex(http);
    const rule = ci >= 0 ? http[ci] : undefined;
    const ns = routed.vs?.metadata.namespace ?? 'intro';
    // Learners who expect to see v2's answers tend to route to v2; mirrored answers are dropped by design.
    const routesToV2 =
      routed.vs !== undefined && ci >= 0 && routeShares(routed.vs, ci).some((s) => s.subset === 'v2' && s.share > 0);
    out.push(
      ...assertions.map((a) =>
        a.status === 'fail' && a.code === 'MESH.ROUTE_SHARES' && routesToV2
          ? finding('MESH.ROUTE_SHARES', { target: '100% v1' }).fail({
              expected: a.expected ?? '',
              actual: a.actual ?? '',
              next: a.next ?? '',
              path: a.path,
              hint: 'mirrorAnswers',
            })
          : a,
      ),
    );
    const targets = rule ? mirrorTargets(rule, ns) : [];
    // Read before the probe's calls: only a count they raise shows copies reach v2 now.
    const v2Base = await promBaseline(ctx, v2Requests);
    const p = await runMirrorProbe(ctx, (l) => l.v1 >= requestsPerProbe && l.v2 >= requestsPerProbe);
    const answered = finding('L09.CALLS_ANSWERED', { count: requestsPerProbe });
    const v1Served = finding('L09.V1_SERVED');
    const v2Mirrored = finding('L09.V2_MIRRORED');
    const whyNoCopies = noCopiesHint(targets);
    out.push(
      p.calls.ok === requestsPerProbe
        ? answered.pass({ actual: describeTally(p.calls) })
        : answered.fail({
            expected: `HTTP 200 × ${requestsPerProbe}`,
            actual: describeTally(p.calls),
            hint: 'whileMirroring',
            next: 'istioctl analyze -n intro',
          }),
    );
    out.push(
      p.logs.v1 >= requestsPerProbe
        ? v1Served.pass({ actual: describeLogs(p.logs, p.marker) })
        : v1Served.fail({
            expected: `≥ ${requestsPerProbe} log lines in httpbin-v1`,
            actual: describeLogs(p.logs, p.marker),
            hint: 'whileMirroring',
            next: 'kubectl get virtualservice -n intro -o yaml',
          }),
    );
    out.push(
      p.logs.v2 >= requestsPerProbe
        ? v2Mirrored.pass({ actual: describeLogs(p.logs, p.marker) })
        : v2Mirrored.fail({
            expected: `≥ ${requestsPerProbe} log lines in httpbin-v2`,
            actual: describeLogs(p.logs, p.marker),
            ...(whyNoCopies ? { hint: whyNoCopies } : {}),
            next: 'kubectl logs -n intro deploy/httpbin-v2',
          }),
    );
    out.push(
      await promRoseAssertion(ctx, v2Base, finding('L09.PROM_V2_REQUESTS')),
    );
    return out;
  },
});
