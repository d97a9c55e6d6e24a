import { defineCheck, finding, type Assertion } from '../../check-api';
import { describeCall } from '../l13-mutual-tls/mtls-objects';
import { allowed, apRef, callUntil, decideFor, httpbinAllowPolicies, jwtView, labId } from './jwt-objects';
import { demoToken, groupsScopeToken } from './sample-tokens';

const claimKey = 'request.auth.claims[groups]';

/**
 * Step 4: groups-scope.jwt (groups [group1, group2]) is admitted, demo.jwt (no groups) and no token are
 * refused, by the rules the sidecar applies; then the two tokens from foo/curl give 200 and 403.
 */
export const requireGroup = defineCheck({
  labId,
  stepId: 'require-group',
  kind: 'state',
  async run(ctx) {
    const view = await jwtView(ctx);
    const groups = decideFor(view, groupsScopeToken);
    const demo = decideFor(view, demoToken);
    const none = decideFor(view, undefined);
    const policies = httpbinAllowPolicies(view);
    const policy = policies[0];
    const conditions = policies.flatMap((p) => (p.spec.rules ?? []).flatMap((r) => (r.when ?? []).map((w) => ({ p, w }))));
    const next = 'kubectl get authorizationpolicy -n foo -o yaml';
    if (!allowed(groups) || allowed(demo) || allowed(none)) {
      const badKey = conditions.find((c) => c.w.key !== claimKey && /group/i.test(c.w.key));
      const onGroups = conditions.find((c) => c.w.key === claimKey);
      const near = badKey
        ? { hint: 'badKey', policy: badKey.p, key: badKey.w.key, values: '' }
        : onGroups && !(onGroups.w.values ?? []).includes('group1') && !allowed(groups)
          ? { hint: 'wrongValue', policy: onGroups.p, key: '', values: JSON.stringify(onGroups.w.values ?? []) }
          : !allowed(groups) && policy
            ? { hint: 'groupsDenied', policy, key: '', values: '' }
            : undefined;
      return [
        finding('L14.GROUP_CLAIM', { policy: near ? apRef(near.policy) : policy ? apRef(policy) : 'the require-jwt policy', key: near?.key ?? '', values: near?.values ?? '' }).fail({
          expected: 'groups-scope.jwt admitted; demo.jwt and no token refused',
          actual: `groups-scope.jwt ${allowed(groups) ? 'admitted' : 'refused'}, demo.jwt ${allowed(demo) ? 'admitted' : 'refused'}, no token ${allowed(none) ? 'admitted' : 'refused'}`,
          next,
          ...(near ? { hint: near.hint, path: `${apRef(near.policy)} .spec.rules` } : {}),
        }),
      ];
    }
    const winner = groups.status === 'rbac' ? groups.decision.policy : undefined;
    const out: Assertion[] = [finding('L14.GROUP_CLAIM', { policy: winner ? apRef(winner) : '', key: '', values: '' }).pass({ actual: 'groups-scope.jwt admitted; demo.jwt and no token refused', ...(winner ? { path: apRef(winner) } : {}) })];
    const demoCall = await callUntil(ctx, demoToken, (r) => r.httpCode === 403);
    out.push(
      demoCall.ok
        ? finding('L14.DEMO_DENIED').pass({ actual: 'HTTP 403' })
        : finding('L14.DEMO_DENIED').fail({ expected: 'HTTP 403', actual: describeCall(demoCall.value), next: 'istioctl proxy-status' }),
    );
    const groupsCall = await callUntil(ctx, groupsScopeToken, (r) => r.httpCode === 200);
    out.push(
      groupsCall.ok
        ? finding('L14.GROUPS_ALLOWED', { status: 200 }).pass({ actual: 'HTTP 200' })
        : finding('L14.GROUPS_ALLOWED', { status: groupsCall.value.httpCode }).fail({ expected: 'HTTP 200', actual: describeCall(groupsCall.value), next }),
    );
    return out;
  },
});
