import { decodeJwt, defineCheck, finding, jwtRulesForWorkload, readJwks, signatureVerifies, type Assertion, type RequestAuthentication } from '../../check-api';
import { jwtView, labId, namespace, raRef } from './jwt-objects';
import { demoToken, sampleIssuer } from './sample-tokens';

const selectorText = (p: RequestAuthentication) =>
  Object.entries(p.spec.selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');

/**
 * Step 1: a RequestAuthentication that applies to httpbin in foo (by the same rule the proxy uses:
 * its namespace or the root namespace, selector matching) trusts the toolbox tokens' issuer, with
 * keys that verify them. A `jwksUri` is allowed by Istio but cannot be fetched offline: a warning.
 */
export const inlineJwks = defineCheck({
  labId,
  stepId: 'inline-jwks',
  kind: 'state',
  async run(ctx) {
    const view = await jwtView(ctx);
    const rules = jwtRulesForWorkload(view.ras, view.workload);
    const match = rules.find((r) => r.rule.issuer === sampleIssuer);
    if (!match) {
      const withIssuer = view.ras.filter((p) => (p.spec.jwtRules ?? []).some((r) => r.issuer === sampleIssuer));
      const elsewhere = withIssuer.find((p) => p.metadata.namespace !== namespace && p.metadata.namespace !== 'istio-system');
      const missed = withIssuer.find((p) => p.metadata.namespace === namespace);
      const other = rules[0];
      const near = elsewhere
        ? { hint: 'otherNamespace', policy: elsewhere }
        : missed
          ? { hint: 'selectorMisses', policy: missed }
          : other
            ? { hint: 'otherIssuer', policy: other.policy }
            : undefined;
      return [
        finding('L14.RA', {
          issuer: sampleIssuer,
          policy: near ? raRef(near.policy) : '',
          namespace: near?.policy.metadata.namespace ?? '',
          selector: near ? selectorText(near.policy) : '',
          other: other?.rule.issuer ?? '',
        }).fail({
          expected: `a RequestAuthentication applying to httpbin in ${namespace} with issuer ${sampleIssuer}`,
          actual: view.ras.length ? `${view.ras.map(raRef).join(', ')}: none applies to httpbin with that issuer` : 'no RequestAuthentication',
          next: 'kubectl get requestauthentication -A',
          ...(near ? { hint: near.hint, path: raRef(near.policy) } : {}),
        }),
      ];
    }
    const ref = raRef(match.policy);
    const out: Assertion[] = [finding('L14.RA', { issuer: sampleIssuer }).pass({ actual: `${ref} (issuer ${sampleIssuer})`, path: ref })];
    const params = { policy: ref, uri: match.rule.jwksUri ?? '', problem: '' };
    const next = `kubectl get requestauthentication -n ${match.policy.metadata.namespace} ${match.policy.metadata.name} -o yaml`;
    const path = `${ref} .spec.jwtRules`;
    if (match.rule.jwks === undefined) {
      out.push(
        match.rule.jwksUri
          ? finding('L14.JWKS', params).warn({ expected: 'the key set inline in jwks', actual: `jwksUri ${match.rule.jwksUri}`, hint: 'jwksUri', next, path })
          : finding('L14.JWKS', params).fail({ expected: 'jwks: the toolbox key set', actual: 'neither jwks nor jwksUri', hint: 'noKeys', next, path }),
      );
      return out;
    }
    const keys = readJwks(match.rule.jwks);
    if (!keys.ok) {
      out.push(finding('L14.JWKS', { ...params, problem: keys.problem }).fail({ expected: 'jwks: the toolbox key set', actual: keys.problem, hint: 'unreadable', next, path }));
      return out;
    }
    const verifies = signatureVerifies(decodeJwt(demoToken)!, keys);
    out.push(
      verifies
        ? finding('L14.JWKS', params).pass({ actual: `${keys.keys.length} key(s); demo.jwt verifies`, path })
        : finding('L14.JWKS', params).fail({ expected: 'a key that verifies demo.jwt', actual: `${keys.keys.length} key(s), none verifies demo.jwt`, next, path }),
    );
    return out;
  },
});
