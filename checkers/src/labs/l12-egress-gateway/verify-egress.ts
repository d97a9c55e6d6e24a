import { finding, defineCheck, livePods, pollBudgets, type Assertion, type CurlResult } from '../../check-api';
import { promBaseline, promRoseAssertion } from '../../probes/prom-assertion';
import { callExternalUntil, callHint, describeCall } from '../l11-egress-serviceentry/external-call';
import { externalHost } from './egress-objects';

/** Which L12.CALL_OK hint names what a failed call means once the mesh rule points at the egress gateway. */
function callFailureHint(r: CurlResult, gatewayPods: number): string {
  if (r.httpCode === 503) return gatewayPods === 0 ? 'noGatewayPod' : 'unavailable';
  if (r.httpCode === 404) return 'noGatewayRoute';
  return callHint(r);
}

/**
 * Step 4: the call from default/curl works, the egress gateway's access log has a line for it, and
 * Prometheus shows requests from istio-egressgateway to api.example.com.
 */
export const verifyEgress = defineCheck({
  labId: 'l12-egress-gateway',
  stepId: 'verify-egress',
  kind: 'telemetry',
  async run(ctx) {
    const out: Assertion[] = [];
    const started = Date.now();
    // Read before the check's call: only a count it raises shows calls leave through the gateway now.
    const viaGateway = await promBaseline(
      ctx,
      `sum(istio_requests_total{source_workload="istio-egressgateway",destination_service_name="${externalHost}"})`,
    );
    const pods = livePods(await ctx.cluster.pods('istio-system', 'istio=egressgateway'));
    const call = await callExternalUntil(ctx, (r) => r.httpCode === 200);
    const callOk = finding('L12.CALL_OK', { host: externalHost, httpCode: call.value.httpCode });
    out.push(
      call.ok
        ? callOk.pass({ actual: describeCall(call.value) })
        : callOk.fail({
            expected: 'HTTP 200',
            actual: describeCall(call.value),
            hint: callFailureHint(call.value, pods.length),
            next: pods.length === 0 ? 'kubectl get pods -n istio-system -l istio=egressgateway' : 'istioctl analyze -n default',
          }),
    );
    const logged = finding('L12.GATEWAY_LOG');
    if (pods.length === 0) {
      // Nothing to read: waiting out the poll budget would only delay the answer.
      out.push(
        logged.fail({
          expected: `an access-log line for ${externalHost} in istio-egressgateway since the call`,
          actual: 'no egress gateway pod running',
          hint: 'noGatewayPod',
          next: 'kubectl get pods -n istio-system -l istio=egressgateway',
        }),
      );
    } else {
      const logs = await ctx.poll(
        async () => {
          let hits = 0;
          for (const pod of pods) {
            const text = await ctx.probes.logs('istio-system', pod.metadata?.name ?? '', 'istio-proxy', Math.ceil((Date.now() - started) / 1000) + 5);
            hits += text.split('\n').filter((l) => l.includes(externalHost)).length;
          }
          return hits;
        },
        { until: (n) => n > 0, ...pollBudgets.propagation, passesInARow: 1 },
      );
      out.push(
        logs.ok
          ? logged.pass({ actual: `${logs.value} access-log line(s) for ${externalHost}` })
          : logged.fail({
              expected: `an access-log line for ${externalHost} in istio-egressgateway since the call`,
              actual: 'no line',
              next: 'kubectl logs -n istio-system -l istio=egressgateway --tail 5',
            }),
      );
    }
    out.push(
      await promRoseAssertion(ctx, viaGateway, finding('L12.PROM_EGRESS', { host: externalHost })),
    );
    return out;
  },
});
