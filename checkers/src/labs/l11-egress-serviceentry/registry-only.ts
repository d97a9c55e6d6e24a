import { defineCheck, finding, type Assertion } from '../../check-api';
import { callExternalUntil, describeCall, externalHost } from './external-call';
import { registryOnlyAssertions } from './outbound-policy';

/** Step 2: REGISTRY_ONLY for ns default, and the same call now gets 502 from the sidecar's
 * catch-all route block_all (a direct response; BlackHoleCluster only takes TCP and unknown ports). */
export const registryOnly = defineCheck({
  labId: 'l11-egress-serviceentry',
  stepId: 'registry-only',
  kind: 'probe',
  async run(ctx) {
    const out: Assertion[] = await registryOnlyAssertions(ctx);
    if (out.some((a) => a.status === 'fail')) return out;
    const call = await callExternalUntil(ctx, (r) => r.httpCode === 502);
    const blocked = finding('L11.EXTERNAL_BLOCKED', { host: externalHost });
    if (call.ok) {
      out.push(blocked.pass({ actual: describeCall(call.value) }));
      return out;
    }
    const registered = (await ctx.cluster.serviceEntries()).some((se) => se.spec.hosts.includes(externalHost));
    out.push(
      blocked.fail({
        expected: 'HTTP 502 from the sidecar (route block_all)',
        actual: describeCall(call.value),
        ...(registered ? { hint: 'alreadyRegistered' } : {}),
        next: registered ? 'kubectl get serviceentry -A' : 'istioctl proxy-status',
      }),
    );
    return out;
  },
});
