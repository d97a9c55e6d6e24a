import { finding, type Assertion, type CheckContext } from '../../check-api';
import { apRef, decide } from './authz-objects';

/**
 * Whether `app` admits GET from `caller` (an identity, or the ingress gateway's) by the same rule the
 * sidecar applies, and if not, the near miss that explains it.
 */
export async function allowedFinding(
  ctx: Pick<CheckContext, 'cluster'>,
  o: { app: string; path: string; caller: string; callerName: string },
): Promise<{ assertion: Assertion; allowed: boolean }> {
  const { decision, policies } = await decide(ctx, o.app, { method: 'GET', path: o.path, principal: o.caller });
  if (decision.allowed)
    return {
      allowed: true,
      assertion: finding('L15.ALLOWED', { service: o.app, caller: o.callerName }).pass({
        actual: decision.policy ? `${apRef(decision.policy)} allows it` : 'no ALLOW policy applies to it',
        ...(decision.policy ? { path: apRef(decision.policy) } : {}),
      }),
    };
  const selecting = policies.filter((p) => p.spec.selector?.matchLabels?.['app'] === o.app && (p.spec.action ?? 'ALLOW').toUpperCase() === 'ALLOW');
  const principals = selecting.flatMap((p) => (p.spec.rules ?? []).flatMap((r) => (r.from ?? []).flatMap((f) => (f.source?.principals ?? []).map((principal) => ({ p, principal })))));
  const short = principals.find((x) => !x.principal.includes('/ns/') && o.caller.endsWith(x.principal.replace(/^.*\//, '')));
  const wrong = principals.find((x) => x.principal.includes('/ns/') && x.principal !== o.caller);
  const near = decision.reason === 'denied' ? { hint: 'denied', policy: decision.policy, principal: '' } : short ? { hint: 'shortPrincipal', policy: short.p, principal: short.principal } : wrong ? { hint: 'wrongAccount', policy: wrong.p, principal: wrong.principal } : undefined;
  return {
    allowed: false,
    assertion: finding('L15.ALLOWED', { service: o.app, caller: o.callerName, policy: near?.policy ? apRef(near.policy) : '', principal: near?.principal ?? '', identity: o.caller }).fail({
      expected: `an ALLOW rule on ${o.app} matching GET ${o.path} from ${o.caller}`,
      actual: decision.reason === 'denied' && decision.policy ? `denied by ${apRef(decision.policy)}` : selecting.length ? `${selecting.map(apRef).join(', ')} match no such request` : `no ALLOW policy selects app: ${o.app}`,
      next: 'kubectl get authorizationpolicy -n default -o yaml',
      ...(near ? { hint: near.hint } : {}),
      ...(near?.policy ? { path: `${apRef(near.policy)} .spec.rules` } : {}),
    }),
  };
}
