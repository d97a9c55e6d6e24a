import { defineCheck, finding, type Assertion } from '../../check-api';
import { describeCall } from '../l13-mutual-tls/mtls-objects';
import { callUntil, httpbinAllowPolicies, jwtView, labId } from './jwt-objects';
import { demoToken } from './sample-tokens';

/**
 * Step 2: from foo/curl, demo.jwt gets 200, a malformed token 401 and no token 200
 * (RequestAuthentication alone never requires a token).
 */
export const tryTokens = defineCheck({
  labId,
  stepId: 'try-tokens',
  kind: 'probe',
  async run(ctx) {
    const out: Assertion[] = [];
    const valid = await callUntil(ctx, demoToken, (r) => r.httpCode === 200);
    const validFinding = finding('L14.VALID_TOKEN', { body: valid.value.body.trim().slice(0, 80) });
    out.push(
      valid.ok
        ? validFinding.pass({ actual: 'HTTP 200' })
        : validFinding.fail({
            expected: 'HTTP 200',
            actual: describeCall(valid.value),
            next: 'kubectl get requestauthentication -n foo -o yaml',
            ...(valid.value.httpCode === 401 ? { hint: 'rejected' } : valid.value.httpCode === 403 ? { hint: 'denied' } : {}),
          }),
    );
    const bad = await callUntil(ctx, 'not-a-token', (r) => r.httpCode === 401);
    out.push(
      bad.ok
        ? finding('L14.BAD_TOKEN_REFUSED').pass({ actual: `HTTP 401 ${bad.value.body.trim().slice(0, 80)}` })
        : finding('L14.BAD_TOKEN_REFUSED').fail({ expected: 'HTTP 401', actual: describeCall(bad.value), next: 'kubectl get requestauthentication -A' }),
    );
    const none = await callUntil(ctx, undefined, (r) => r.httpCode === 200);
    const noneFinding = finding('L14.NO_TOKEN_ACCEPTED', { status: none.value.httpCode });
    if (none.ok) out.push(noneFinding.pass({ actual: 'HTTP 200' }));
    else if (none.value.httpCode === 403 && httpbinAllowPolicies(await jwtView(ctx)).length > 0)
      out.push(noneFinding.warn({ expected: 'HTTP 200', actual: 'HTTP 403', hint: 'ahead' }));
    else out.push(noneFinding.fail({ expected: 'HTTP 200', actual: describeCall(none.value), next: 'kubectl get authorizationpolicy,peerauthentication -n foo' }));
    return out;
  },
});
