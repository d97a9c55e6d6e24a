import { defineCheck, finding, type Assertion } from '../../check-api';
import { describeCall } from '../l13-mutual-tls/mtls-objects';
import { allowed, apRef, callUntil, decideFor, httpbinAllowPolicies, jwtView, labId, samplePrincipal } from './jwt-objects';
import { demoToken, sampleIssuer } from './sample-tokens';

/**
 * Step 3: judged by the rules httpbin's sidecar applies (jwt_authn, then RBAC): a request with demo.jwt
 * is admitted and one without a token refused; then the same two calls from foo/curl give 200 and 403.
 */
export const requireJwt = defineCheck({
  labId,
  stepId: 'require-jwt',
  kind: 'state',
  async run(ctx) {
    const view = await jwtView(ctx);
    const withToken = decideFor(view, demoToken);
    const without = decideFor(view, undefined);
    const policies = httpbinAllowPolicies(view);
    const policy = policies[0];
    const base = { issuer: sampleIssuer, principal: samplePrincipal, policy: policy ? apRef(policy) : '', written: '' };
    const next = 'kubectl get authorizationpolicy,requestauthentication -n foo -o yaml';
    if (!allowed(withToken) || allowed(without)) {
      const written = policies.flatMap((p) => (p.spec.rules ?? []).flatMap((r) => (r.from ?? []).flatMap((f) => (f.source?.requestPrincipals ?? []).map((x) => ({ p, x })))));
      const subjectOnly = written.find((w) => !w.x.includes('/') && w.x !== '*');
      const hasRa = view.ras.some((p) => p.metadata.namespace === 'foo' || p.metadata.namespace === 'istio-system');
      const near = allowed(without) && policy
        ? { hint: 'anonymousAllowed', policy }
        : subjectOnly
          ? { hint: 'subjectOnly', policy: subjectOnly.p, written: subjectOnly.x }
          : policy && !hasRa
            ? { hint: 'noRequestAuthentication', policy }
            : policy
              ? { hint: 'tokenDenied', policy }
              : undefined;
      return [
        finding('L14.REQUIRE_JWT', { ...base, ...(near ? { policy: apRef(near.policy), written: near.written ?? '' } : {}) }).fail({
          expected: `demo.jwt admitted, no token refused (an ALLOW rule with requestPrincipals ["${samplePrincipal}"])`,
          actual: `demo.jwt ${allowed(withToken) ? 'admitted' : 'refused'}, no token ${allowed(without) ? 'admitted' : 'refused'}${policies.length ? ` by ${policies.map(apRef).join(', ')}` : '; no ALLOW policy selects httpbin'}`,
          next,
          ...(near ? { hint: near.hint, path: `${apRef(near.policy)} .spec.rules` } : {}),
        }),
      ];
    }
    const winner = withToken.status === 'rbac' && withToken.decision.allowed ? withToken.decision.policy : undefined;
    const out: Assertion[] = [finding('L14.REQUIRE_JWT', base).pass({ actual: winner ? `${apRef(winner)} admits demo.jwt only` : 'demo.jwt admitted, no token refused', ...(winner ? { path: apRef(winner) } : {}) })];
    const refused = await callUntil(ctx, undefined, (r) => r.httpCode === 403);
    out.push(
      refused.ok
        ? finding('L14.NO_TOKEN_DENIED').pass({ actual: 'HTTP 403 RBAC: access denied' })
        : finding('L14.NO_TOKEN_DENIED').fail({ expected: 'HTTP 403', actual: describeCall(refused.value), next: 'istioctl proxy-status' }),
    );
    const ok = await callUntil(ctx, demoToken, (r) => r.httpCode === 200);
    out.push(
      ok.ok
        ? finding('L14.TOKEN_ALLOWED', { status: 200 }).pass({ actual: 'HTTP 200' })
        : finding('L14.TOKEN_ALLOWED', { status: ok.value.httpCode }).fail({ expected: 'HTTP 200', actual: describeCall(ok.value), next }),
    );
    return out;
  },
});
