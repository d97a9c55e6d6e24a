import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { demoToken, groupsScopeToken, sampleIssuer, sampleJwks } from '../../labs/l14-jwt-authentication/sample-tokens';
import type { RequestAuthentication } from '../istio-schemas';
import { authorize } from './authorization';
import { authenticate, decodeJwt, jwtRulesForWorkload, readJwks, signatureVerifies, tokenFromRequest } from './request-authentication';

function ra(namespace: string, name: string, spec: RequestAuthentication['spec']): RequestAuthentication {
  return { apiVersion: 'security.istio.io/v1', kind: 'RequestAuthentication', metadata: { name, namespace }, spec } as RequestAuthentication;
}

/** A token signed by a key the test makes, so expiry and audiences can be set. */
function ownToken(claims: Record<string, unknown>) {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${b64({ alg: 'RS256', kid: 'k1' })}.${b64(claims)}`;
  return { token: `${input}.${sign('RSA-SHA256', Buffer.from(input), privateKey).toString('base64url')}`, jwks: JSON.stringify({ keys: [{ ...jwk, kid: 'k1' }] }) };
}

const httpbin = { namespace: 'foo', labels: { app: 'httpbin', version: 'v1' } };
const inline = ra('foo', 'jwt-example', { selector: { matchLabels: { app: 'httpbin' } }, jwtRules: [{ issuer: sampleIssuer, jwks: sampleJwks }] });
const bearer = (t: string) => ({ headers: { authorization: `Bearer ${t}` }, path: '/headers' });

describe('jwtRulesForWorkload', () => {
  it('combines the workload, namespace and root namespace policies that select the workload', () => {
    const all = [inline, ra('foo', 'ns-wide', { jwtRules: [{ issuer: 'a' }] }), ra('istio-system', 'mesh', { jwtRules: [{ issuer: 'b' }] }), ra('bar', 'elsewhere', { jwtRules: [{ issuer: 'c' }] }), ra('foo', 'other-app', { selector: { matchLabels: { app: 'curl' } }, jwtRules: [{ issuer: 'd' }] })];
    expect(jwtRulesForWorkload(all, httpbin).map((r) => r.rule.issuer).sort()).toEqual(['a', 'b', sampleIssuer]);
  });
  it('leaves out policies attached by targetRef (gateways)', () => {
    expect(jwtRulesForWorkload([ra('foo', 'gw', { targetRef: { kind: 'Gateway', name: 'x' }, jwtRules: [{ issuer: 'a' }] })], httpbin)).toEqual([]);
  });
});

describe('tokens and keys', () => {
  it('the sample tokens verify against the sample key set and carry the lab claims', () => {
    const keys = readJwks(sampleJwks);
    const demo = decodeJwt(demoToken)!;
    expect(signatureVerifies(demo, keys)).toBe(true);
    expect(demo.claims).toMatchObject({ iss: sampleIssuer, sub: sampleIssuer });
    expect(decodeJwt(groupsScopeToken)!.claims).toMatchObject({ groups: ['group1', 'group2'] });
  });
  it('a key set that is not JSON, has no keys or another key does not verify', () => {
    expect(readJwks('{"keys": [')).toEqual({ ok: false, problem: 'jwks is not JSON' });
    expect(readJwks('{"keys": []}')).toEqual({ ok: false, problem: 'jwks has no keys' });
    expect(signatureVerifies(decodeJwt(demoToken)!, readJwks(ownToken({}).jwks))).toBe(false);
  });
  it('finds the token in the Authorization header or the access_token parameter', () => {
    expect(tokenFromRequest({ authorization: 'Bearer abc' }, '/')).toBe('abc');
    expect(tokenFromRequest({}, '/headers?access_token=xyz')).toBe('xyz');
    expect(tokenFromRequest({ authorization: 'Basic abc' }, '/')).toBeUndefined();
  });
});

describe('authenticate', () => {
  const rules = jwtRulesForWorkload([inline], httpbin);
  it('accepts a valid token and names the request principal iss/sub', () => {
    expect(authenticate(rules, bearer(demoToken))).toMatchObject({ status: 'authenticated', principal: `${sampleIssuer}/${sampleIssuer}` });
  });
  it('lets a request without a token through without identity', () => {
    expect(authenticate(rules, { headers: {}, path: '/headers' })).toEqual({ status: 'anonymous' });
  });
  it('ignores tokens when no RequestAuthentication applies', () => {
    expect(authenticate([], bearer('garbage'))).toEqual({ status: 'anonymous' });
  });
  it('rejects garbage, an unknown issuer, a wrong key, an unreachable jwksUri, an expired token and a wrong audience', () => {
    expect(authenticate(rules, bearer('garbage'))).toMatchObject({ status: 'rejected', reason: 'malformed' });
    const other = ownToken({ iss: 'someone-else', sub: 'x', exp: 4102444800 });
    expect(authenticate(rules, bearer(other.token))).toMatchObject({ status: 'rejected', reason: 'unknown-issuer', body: 'Jwt issuer is not configured' });
    const wrongKey = ownToken({ iss: sampleIssuer, sub: sampleIssuer });
    expect(authenticate(rules, bearer(wrongKey.token))).toMatchObject({ status: 'rejected', reason: 'signature', body: 'Jwt verification fails' });
    const uri = jwtRulesForWorkload([ra('foo', 'uri', { jwtRules: [{ issuer: sampleIssuer, jwksUri: 'https://example.com/jwks.json' }] })], httpbin);
    expect(authenticate(uri, bearer(demoToken))).toMatchObject({ status: 'rejected', reason: 'no-keys' });
    const expired = ownToken({ iss: 'exp', sub: 'x', exp: 1000 });
    const expRules = jwtRulesForWorkload([ra('foo', 'e', { jwtRules: [{ issuer: 'exp', jwks: expired.jwks }] })], httpbin);
    expect(authenticate(expRules, bearer(expired.token))).toMatchObject({ status: 'rejected', reason: 'expired' });
    const aud = ownToken({ iss: 'aud', sub: 'x', aud: 'other' });
    const audRules = jwtRulesForWorkload([ra('foo', 'a', { jwtRules: [{ issuer: 'aud', jwks: aud.jwks, audiences: ['mine'] }] })], httpbin);
    expect(authenticate(audRules, bearer(aud.token))).toMatchObject({ status: 'rejected', reason: 'audience' });
  });
});

describe('authorization with request principals and claims', () => {
  const requireJwt = {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name: 'require-jwt', namespace: 'foo' },
    spec: { selector: { matchLabels: { app: 'httpbin' } }, action: 'ALLOW', rules: [{ from: [{ source: { requestPrincipals: [`${sampleIssuer}/${sampleIssuer}`] } }], when: [{ key: 'request.auth.claims[groups]', values: ['group1'] }] }] },
  } as const;
  const claimsOf = (t: string) => decodeJwt(t)!.claims as Record<string, unknown>;
  it('allows a token whose principal matches and whose list claim holds the value', () => {
    expect(authorize([requireJwt] as never, httpbin, { method: 'GET', path: '/headers', requestPrincipal: `${sampleIssuer}/${sampleIssuer}`, claims: claimsOf(groupsScopeToken) }).allowed).toBe(true);
  });
  it('denies without a token, and with a token lacking the claim', () => {
    expect(authorize([requireJwt] as never, httpbin, { method: 'GET', path: '/headers' }).allowed).toBe(false);
    expect(authorize([requireJwt] as never, httpbin, { method: 'GET', path: '/headers', requestPrincipal: `${sampleIssuer}/${sampleIssuer}`, claims: claimsOf(demoToken) }).allowed).toBe(false);
  });
  it('a requestPrincipal written as the subject alone never matches', () => {
    const subjectOnly = { ...requireJwt, spec: { ...requireJwt.spec, rules: [{ from: [{ source: { requestPrincipals: [sampleIssuer] } }] }] } };
    expect(authorize([subjectOnly] as never, httpbin, { method: 'GET', path: '/headers', requestPrincipal: `${sampleIssuer}/${sampleIssuer}` }).allowed).toBe(false);
  });
});
