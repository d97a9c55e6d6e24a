import { defineCheck, finding, type Assertion } from '../../check-api';
import { apRef, labId, pageUntil, selectorless } from './authz-objects';

/** Step 1: an ALLOW policy without selector or rules in default; the product page then gets 403. */
export const allowNothing = defineCheck({
  labId,
  stepId: 'allow-nothing',
  kind: 'state',
  async run(ctx) {
    const policies = await ctx.cluster.authorizationPolicies();
    const isAllow = (p: (typeof policies)[number]) => (p.spec.action ?? 'ALLOW').toUpperCase() === 'ALLOW';
    const found = policies.find((p) => p.metadata.namespace === 'default' && selectorless(p) && isAllow(p) && !(p.spec.rules ?? []).length);
    if (!found) {
      const inRoot = policies.find((p) => p.metadata.namespace === 'istio-system' && selectorless(p) && isAllow(p) && !(p.spec.rules ?? []).length);
      const withRules = policies.find((p) => p.metadata.namespace === 'default' && selectorless(p) && isAllow(p) && (p.spec.rules ?? []).length > 0);
      const near = inRoot ?? withRules;
      return [
        finding('L15.ALLOW_NOTHING', { policy: near ? apRef(near) : '' }).fail({
          expected: 'AuthorizationPolicy in default: no selector, no rules, action ALLOW (spec: {})',
          actual: near ? `${apRef(near)}${inRoot ? ' (root namespace)' : ` with ${(near.spec.rules ?? []).length} rule(s)`}` : 'no such policy in default',
          next: 'kubectl get authorizationpolicy -A',
          ...(inRoot ? { hint: 'rootNamespace', path: apRef(inRoot) } : withRules ? { hint: 'hasRules', path: `${apRef(withRules)} .spec.rules` } : {}),
        }),
      ];
    }
    const out: Assertion[] = [finding('L15.ALLOW_NOTHING', { policy: apRef(found) }).pass({ actual: apRef(found), path: apRef(found) })];
    const page = await pageUntil(ctx, (r) => r.status === 403);
    const f = finding('L15.PAGE_DENIED', { status: page.value.status });
    out.push(
      page.ok
        ? f.pass({ actual: `GET /productpage: 403 ${page.value.body.slice(0, 40)}` })
        : f.fail({ expected: '403 RBAC: access denied', actual: `HTTP ${page.value.status}`, next: 'kubectl -n default get pods -l app=productpage' }),
    );
    return out;
  },
});
