import { defineCheck, fail, pass, type Assertion } from '../../check-api';
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
    const title = `the call to ${externalHost} is now blocked (502)`;
    if (call.ok) {
      out.push(pass('L11.EXTERNAL_BLOCKED', title, { actual: describeCall(call.value) }));
      return out;
    }
    const registered = (await ctx.cluster.serviceEntries()).some((se) => se.spec.hosts.includes(externalHost));
    out.push(
      fail('L11.EXTERNAL_BLOCKED', title, {
        expected: 'HTTP 502 from the sidecar (route block_all)',
        actual: describeCall(call.value),
        hint: registered
          ? `A ServiceEntry already registers ${externalHost}, so REGISTRY_ONLY allows it. That is step 3; delete it to see the block.`
          : 'The policy is set but the call still passes: the curl pod\'s proxy may not have the new config yet. Check proxy-status.',
        next: registered ? 'kubectl get serviceentry -A' : 'istioctl proxy-status',
      }),
    );
    return out;
  },
});
