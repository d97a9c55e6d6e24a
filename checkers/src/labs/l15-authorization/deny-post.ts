import { defineCheck, finding, type Assertion } from '../../check-api';
import { apRef, decide, ingressIdentity, labId, pageUntil } from './authz-objects';

/** Step 5: a DENY policy on productpage refuses POST /api/v1/products/0; GET /productpage still works. */
export const denyPost = defineCheck({
  labId,
  stepId: 'deny-post',
  kind: 'state',
  async run(ctx) {
    const { decision, policies } = await decide(ctx, 'productpage', { method: 'POST', path: '/api/v1/products/0', principal: ingressIdentity });
    if (decision.allowed || decision.reason !== 'denied' || !decision.policy) {
      const denies = policies.filter((p) => (p.spec.action ?? '').toUpperCase() === 'DENY');
      const exact = denies.find((p) => (p.spec.rules ?? []).some((r) => (r.to ?? []).some((t) => (t.operation?.paths ?? []).some((x) => x.startsWith('/api/v1/products') && !x.endsWith('*')))));
      const paths = exact ? (exact.spec.rules ?? []).flatMap((r) => (r.to ?? []).flatMap((t) => t.operation?.paths ?? [])).join(', ') : '';
      return [
        finding('L15.DENY_POST', { policy: exact ? apRef(exact) : '', paths }).fail({
          expected: 'action DENY, methods [POST], paths ["/api/v1/products*"], selecting productpage',
          actual: denies.length ? `${denies.map(apRef).join(', ')} do not match POST /api/v1/products/0` : 'no DENY policy',
          next: 'kubectl get authorizationpolicy -n default -o yaml',
          ...(exact ? { hint: 'exactPath', path: `${apRef(exact)} .spec.rules` } : {}),
        }),
      ];
    }
    const out: Assertion[] = [finding('L15.DENY_POST', { policy: apRef(decision.policy), paths: '' }).pass({ actual: `${apRef(decision.policy)} denies it`, path: apRef(decision.policy) })];
    const post = await pageUntil(ctx, (r) => r.status === 403, { method: 'POST', path: '/api/v1/products/0' });
    out.push(
      post.ok
        ? finding('L15.POST_REFUSED', { status: 403 }).pass({ actual: 'POST /api/v1/products/0: 403' })
        : finding('L15.POST_REFUSED', { status: post.value.status }).fail({ expected: '403', actual: `HTTP ${post.value.status}`, next: 'istioctl proxy-status' }),
    );
    const get = await pageUntil(ctx, (r) => r.status === 200);
    out.push(get.ok ? finding('L15.GET_STILL_OK').pass({ actual: 'GET /productpage: 200' }) : finding('L15.GET_STILL_OK').fail({ expected: '200', actual: `HTTP ${get.value.status}`, next: 'kubectl get authorizationpolicy -n default -o yaml' }));
    return out;
  },
});
