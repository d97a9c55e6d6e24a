import { defineCheck, fail, pass, pollBudgets, warn, type Assertion } from '../../check-api';
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
    const title = `curl from default/curl to ${externalHost} succeeds`;
    if (!call.ok) {
      out.push(
        fail('L11.EXTERNAL_ALLOWED', title, {
          expected: 'HTTP 200 (unknown hosts are allowed by default: ALLOW_ANY)',
          actual: describeCall(r),
          hint:
            r.httpCode === 502
              ? `${callHint(r)} A Sidecar or mesh setting from a later step is still in place; the lab setup removes it.`
              : callHint(r),
          next: 'kubectl get sidecar -A',
        }),
      );
      return out;
    }
    out.push(pass('L11.EXTERNAL_ALLOWED', title, { actual: describeCall(r) }));
    const [ns, name] = r.pod.split('/');
    const logs = await ctx.poll(
      async () => {
        const text = await ctx.probes.logs(ns ?? 'default', name ?? '', 'istio-proxy', Math.ceil((Date.now() - started) / 1000) + 5);
        return text.split('\n').filter((l) => l.includes(externalHost));
      },
      { until: (lines) => lines.length > 0, timeoutMs: 10_000, intervalMs: pollBudgets.propagation.intervalMs, passesInARow: 1 },
    );
    const line = logs.value.at(-1);
    const logTitle = 'the sidecar sent it through PassthroughCluster';
    if (!line) {
      out.push(
        warn('L11.PASSTHROUGH', logTitle, {
          expected: `an access-log line for ${externalHost} with PassthroughCluster`,
          actual: 'no access-log line in the curl pod\'s istio-proxy',
          hint: 'Access logging seems off for this proxy (a Telemetry resource can disable it); the call itself worked.',
          next: `kubectl logs -n ${ns} ${name} -c istio-proxy --tail 5`,
        }),
      );
    } else if (line.includes('PassthroughCluster')) {
      out.push(pass('L11.PASSTHROUGH', logTitle, { actual: line.trim().slice(0, 200) }));
    } else {
      out.push(
        warn('L11.PASSTHROUGH', logTitle, {
          expected: 'PassthroughCluster in the access log',
          actual: line.trim().slice(0, 200),
          hint: `A ServiceEntry already registers ${externalHost} (step 3), so the call uses its own cluster instead of PassthroughCluster.`,
          next: 'kubectl get serviceentry -A',
        }),
      );
    }
    return out;
  },
});
