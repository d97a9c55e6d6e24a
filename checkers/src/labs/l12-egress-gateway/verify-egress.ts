import { finding, defineCheck, fail, livePods, pass, pollBudgets, type Assertion, type CurlResult } from '../../check-api';
import { promBaseline, promRoseAssertion } from '../../probes/prom-assertion';
import { callExternalUntil, callHint, describeCall } from '../l11-egress-serviceentry/external-call';
import { externalHost } from './egress-objects';

/** What a failed call means once the mesh rule points at the egress gateway. */
function callFailureHint(r: CurlResult, gatewayPods: number): string {
  if (r.httpCode === 503 && gatewayPods === 0)
    return 'HTTP 503: the mesh rule sends the call to the egress gateway, but no egress gateway pod is running (the demo profile installs one).';
  if (r.httpCode === 503)
    return 'HTTP 503: the mesh rule points at a subset the egress DestinationRule does not define (IST0101), or the egress gateway has no ready pod.';
  if (r.httpCode === 404)
    return `HTTP 404 from the egress gateway: it has no route for ${externalHost}. The VirtualService must list the Gateway in \`gateways\` (as <namespace>/istio-egressgateway if the Gateway lives in another namespace) and have a rule matching it.`;
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
    out.push(
      call.ok
        ? pass('L12.CALL_OK', `curl from default/curl to ${externalHost} succeeds`, { actual: describeCall(call.value) })
        : fail('L12.CALL_OK', `curl from default/curl to ${externalHost} succeeds`, {
            expected: 'HTTP 200',
            actual: describeCall(call.value),
            hint: callFailureHint(call.value, pods.length),
            next: pods.length === 0 ? 'kubectl get pods -n istio-system -l istio=egressgateway' : 'istioctl analyze -n default',
          }),
    );
    const logTitle = 'the egress gateway logged the call';
    if (pods.length === 0) {
      // Nothing to read: waiting out the poll budget would only delay the answer.
      out.push(
        fail('L12.GATEWAY_LOG', logTitle, {
          expected: `an access-log line for ${externalHost} in istio-egressgateway since the call`,
          actual: 'no egress gateway pod running',
          hint: 'No egress gateway is running; the demo profile installs one.',
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
          ? pass('L12.GATEWAY_LOG', logTitle, { actual: `${logs.value} access-log line(s) for ${externalHost}` })
          : fail('L12.GATEWAY_LOG', logTitle, {
              expected: `an access-log line for ${externalHost} in istio-egressgateway since the call`,
              actual: 'no line',
              hint: 'The call did not pass the egress gateway: sidecars only route through it when the VirtualService lists `mesh` in gateways and its mesh rule points at the gateway.',
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
