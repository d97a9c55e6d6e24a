import { defineCheck, finding, pollBudgets, type Assertion } from '../../check-api';
import { callExternalUntil, callHint, describeCall, externalHost } from './external-call';

/**
 * Step 1: with the mesh default ALLOW_ANY, a call to an unknown external host works (200) and the
 * client sidecar's access log shows it left through PassthroughCluster.
 */
export const callExternalCheck = defineCheck({
  labId: 'l11-egress-serviceentry',
  stepId: 'call-external',
  kind: 'probe',
  async run(ctx) {
    const out: Assertion[] = [];
    const started = Date.now();
    const call = await callExternalUntil(ctx, (r) => r.httpCode === 200);
    const r = call.value;
    const allowed = finding('L11.EXTERNAL_ALLOWED', { host: externalHost, httpCode: r.httpCode });
    if (!call.ok) {
      out.push(
        allowed.fail({
          expected: 'HTTP 200 (unknown hosts are allowed by default: ALLOW_ANY)',
          actual: describeCall(r),
          hint: r.httpCode === 502 ? 'blockedByLaterStep' : callHint(r),
          next: 'kubectl get sidecar -A',
        }),
      );
      return out;
    }
    out.push(allowed.pass({ actual: describeCall(r) }));
    const [ns, name] = r.pod.split('/');
    const logs = await ctx.poll(
      async () => {
        const text = await ctx.probes.logs(ns ?? 'default', name ?? '', 'istio-proxy', Math.ceil((Date.now() - started) / 1000) + 5);
        return text.split('\n').filter((l) => l.includes(externalHost));
      },
      { until: (lines) => lines.length > 0, timeoutMs: 10_000, intervalMs: pollBudgets.propagation.intervalMs, passesInARow: 1 },
    );
    const line = logs.value.at(-1);
    const passthrough = finding('L11.PASSTHROUGH', { host: externalHost });
    if (!line) {
      out.push(
        passthrough.warn({
          expected: `an access-log line for ${externalHost} with PassthroughCluster`,
          actual: 'no access-log line in the curl pod\'s istio-proxy',
          hint: 'noAccessLog',
          next: `kubectl logs -n ${ns} ${name} -c istio-proxy --tail 5`,
        }),
      );
    } else if (line.includes('PassthroughCluster')) {
      out.push(passthrough.pass({ actual: line.trim().slice(0, 200) }));
    } else {
      out.push(
        passthrough.warn({
          expected: 'PassthroughCluster in the access log',
          actual: line.trim().slice(0, 200),
          hint: 'alreadyRegistered',
          next: 'kubectl get serviceentry -A',
        }),
      );
    }
    return out;
  },
});
