// L14's checks against states built from the lab's own scripts (SolutionRunner), with behaviour from
// the mesh model (jwt_authn and RBAC from the same rules): every check passes on its solution and on
// other valid forms, fails on the start and on each common mistake with the hint that names its cause.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../cluster-reader';
import { authorizationPolicy, baselineCluster, requestAuthentication } from '../../testing';
import { expectFailed, expectOnlyReads, expectPassed, failure } from '../../testing/check-expectations';
import { startMeshHarness, type MeshHarness } from '../../testing/mesh-harness';
import { SolutionRunner } from '../../testing/solution-runner';
import { sampleIssuer, sampleJwks } from './sample-tokens';

const labDir = fileURLToPath(new URL('../../../../labs/l14-jwt-authentication/', import.meta.url));
const runner = new SolutionRunner(baselineCluster());
runner.runScript(path.join(labDir, 'setup.sh'));
const start = runner.state();
const after: Record<string, KubeObject[]> = {};
for (const step of ['inline-jwks', 'try-tokens', 'require-jwt', 'require-group', 'ingress-jwt']) {
  runner.runScript(path.join(labDir, 'solutions', `${step}.sh`));
  after[step] = runner.state();
}

const without = (state: KubeObject[], kind: string, ns: string, name: string) =>
  state.filter((o) => !(o.kind === kind && o.metadata?.namespace === ns && o.metadata?.name === name));
const raFor = (ns: string, name: string, spec: Record<string, unknown>) => requestAuthentication(ns, name, spec);
const httpbinSelector = { matchLabels: { app: 'httpbin' } };
const principal = `${sampleIssuer}/${sampleIssuer}`;
const requireJwt = (rule: Record<string, unknown>) => authorizationPolicy('foo', 'require-jwt', { selector: httpbinSelector, action: 'ALLOW', rules: [rule] });

describe('l14-jwt-authentication', () => {
  let m: MeshHarness;
  beforeAll(async () => {
    m = await startMeshHarness('l14-jwt-authentication', start);
  });
  afterAll(() => m.close());

  describe('inline-jwks', () => {
    it('passes on the solution, on a namespace-wide policy and on one in the root namespace', async () => {
      const r = await m.run('inline-jwks', after['inline-jwks']!);
      expectPassed(r);
      expectOnlyReads(m.h);
      const rule = { jwtRules: [{ issuer: sampleIssuer, jwks: sampleJwks }] };
      expectPassed(await m.run('inline-jwks', [...start, raFor('foo', 'any-name', rule)]));
      expectPassed(await m.run('inline-jwks', [...start, raFor('istio-system', 'mesh-jwt', rule)]));
    });
    it('fails on the start', async () => {
      expectFailed(await m.run('inline-jwks', start));
    });
    it('names a policy in the wrong namespace, a selector that misses and another issuer', async () => {
      const rule = { jwtRules: [{ issuer: sampleIssuer, jwks: sampleJwks }] };
      expect(failure(await m.run('inline-jwks', [...start, raFor('default', 'jwt', { selector: httpbinSelector, ...rule })]), 'L14.RA').hint).toMatch(/is in namespace default.*Create it in foo/);
      expect(failure(await m.run('inline-jwks', [...start, raFor('foo', 'jwt', { selector: { matchLabels: { app: 'httpbin-v1' } }, ...rule })]), 'L14.RA').hint).toMatch(/selector app: httpbin-v1 matches no label/);
      expect(failure(await m.run('inline-jwks', [...start, raFor('foo', 'jwt', { selector: httpbinSelector, jwtRules: [{ issuer: 'issuer@example.com', jwks: sampleJwks }] })]), 'L14.RA').hint).toMatch(/trusts issuer issuer@example.com.*Jwt issuer is not configured/);
    });
    it('warns on jwksUri (offline cluster) and fails on keys that do not verify or are not JSON', async () => {
      const uri = await m.run('inline-jwks', [...start, raFor('foo', 'jwt', { selector: httpbinSelector, jwtRules: [{ issuer: sampleIssuer, jwksUri: 'https://raw.githubusercontent.com/example/jwks.json' }] })]);
      expectPassed(uri);
      expect(uri.assertions.find((a) => a.code === 'L14.JWKS')).toMatchObject({ status: 'warn', hint: expect.stringMatching(/learner clusters are offline/) });
      const otherKey = JSON.stringify({ keys: [{ kty: 'RSA', kid: 'x', n: 'sXch', e: 'AQAB' }] });
      expect(failure(await m.run('inline-jwks', [...start, raFor('foo', 'jwt', { selector: httpbinSelector, jwtRules: [{ issuer: sampleIssuer, jwks: otherKey }] })]), 'L14.JWKS').hint).toMatch(/does not verify the toolbox tokens/);
      expect(failure(await m.run('inline-jwks', [...start, raFor('foo', 'jwt', { selector: httpbinSelector, jwtRules: [{ issuer: sampleIssuer, jwks: '{keys: [' }] })]), 'L14.JWKS').hint).toMatch(/jwks is not JSON/);
    });
  });

  describe('try-tokens', () => {
    it('passes after the solution: 200 with the token, 401 with garbage, 200 without', async () => {
      const r = await m.run('try-tokens', after['try-tokens']!);
      expectPassed(r);
      expect(r.assertions.find((a) => a.code === 'L14.BAD_TOKEN_REFUSED')?.actual).toMatch(/401 Jwt is not in the form/);
    });
    it('fails on the start: a malformed token is accepted when no policy applies', async () => {
      expect(failure(await m.run('try-tokens', start), 'L14.BAD_TOKEN_REFUSED').hint).toMatch(/no RequestAuthentication applies to httpbin/);
    });
    it('names the keys when the valid token gets 401 (jwksUri on an offline cluster)', async () => {
      const state = [...without(after['inline-jwks']!, 'RequestAuthentication', 'foo', 'httpbin-jwt'), raFor('foo', 'httpbin-jwt', { selector: httpbinSelector, jwtRules: [{ issuer: sampleIssuer, jwksUri: 'https://example.com/jwks.json' }] })];
      const f = failure(await m.run('try-tokens', state), 'L14.VALID_TOKEN');
      expect(f.actual).toBe('HTTP 401');
      expect(f.hint).toMatch(/refused the valid token \(Jwt verification fails\)/);
    });
    it('only warns when the learner is ahead (a policy already requires a token)', async () => {
      const r = await m.run('try-tokens', after['require-jwt']!);
      expectPassed(r);
      expect(r.assertions.find((a) => a.code === 'L14.NO_TOKEN_ACCEPTED')).toMatchObject({ status: 'warn', hint: expect.stringMatching(/You are ahead/) });
    });
  });

  describe('require-jwt', () => {
    it('passes on the solution and on requestPrincipals ["*"]', async () => {
      expectPassed(await m.run('require-jwt', after['require-jwt']!));
      const star = [...without(after['require-jwt']!, 'AuthorizationPolicy', 'foo', 'require-jwt'), requireJwt({ from: [{ source: { requestPrincipals: ['*'] } }] })];
      expectPassed(await m.run('require-jwt', star));
    });
    it('fails on the start of the step', async () => {
      expectFailed(await m.run('require-jwt', after['try-tokens']!));
    });
    it('names a principal written as the subject alone', async () => {
      const state = [...after['try-tokens']!, requireJwt({ from: [{ source: { requestPrincipals: [sampleIssuer] } }] })];
      expect(failure(await m.run('require-jwt', state), 'L14.REQUIRE_JWT').hint).toMatch(/request principal is `<iss>\/<sub>`, here "testing@secure.istio.io\/testing@secure.istio.io"/);
    });
    it('names a policy that also admits requests without a token', async () => {
      const state = [...after['try-tokens']!, requireJwt({ to: [{ operation: { methods: ['GET'] } }] })];
      expect(failure(await m.run('require-jwt', state), 'L14.REQUIRE_JWT').hint).toMatch(/also admits requests without a token/);
    });
    it('names the missing RequestAuthentication (no token is validated, so no principal)', async () => {
      const state = [...start, requireJwt({ from: [{ source: { requestPrincipals: [principal] } }] })];
      expect(failure(await m.run('require-jwt', state), 'L14.REQUIRE_JWT').hint).toMatch(/No RequestAuthentication validates the token/);
    });
  });

  describe('ingress-jwt', () => {
    const gatewayPolicy = (ns: string, action: string, rules: unknown[]) => authorizationPolicy(ns, 'ingress-require-jwt', { selector: { matchLabels: { istio: 'ingressgateway' } }, action, rules });
    const gatewayRa = requestAuthentication('istio-system', 'ingress-jwt', { selector: { matchLabels: { istio: 'ingressgateway' } }, jwtRules: [{ issuer: sampleIssuer, jwks: sampleJwks }] });
    it('passes on the solution: jwt.example.com needs a token at the gateway, Bookinfo stays open', async () => {
      expectPassed(await m.run('ingress-jwt', after['ingress-jwt']!));
    });
    it('fails on the start of the step', async () => {
      expectFailed(await m.run('ingress-jwt', after['require-group']!));
    });
    it('names an ALLOW policy that locks Bookinfo out, policies in foo, and a missing RequestAuthentication', async () => {
      const base = after['require-group']!;
      const allow = gatewayPolicy('istio-system', 'ALLOW', [{ from: [{ source: { requestPrincipals: ['*'] } }] }]);
      expect(failure(await m.run('ingress-jwt', [...base, gatewayRa, allow]), 'L14.INGRESS_RULES').hint).toMatch(/ALLOW policy on the gateway.*Bookinfo included/);
      const deny = [{ from: [{ source: { notRequestPrincipals: ['*'] } }], to: [{ operation: { hosts: ['jwt.example.com'] } }] }];
      expect(failure(await m.run('ingress-jwt', [...base, gatewayPolicy('foo', 'DENY', deny)]), 'L14.INGRESS_RULES').hint).toMatch(/is in namespace foo.*the gateway runs in istio-system/);
      expect(failure(await m.run('ingress-jwt', [...base, gatewayPolicy('istio-system', 'DENY', deny)]), 'L14.INGRESS_RULES').hint).toMatch(/No RequestAuthentication selects the gateway/);
    });
  });

  describe('require-group', () => {
    it('passes on the solution', async () => {
      expectPassed(await m.run('require-group', after['require-group']!));
    });
    it('fails on the start of the step: demo.jwt is still admitted', async () => {
      expectFailed(await m.run('require-group', after['require-jwt']!));
    });
    it('names a condition key Istio does not know and a value the token lacks', async () => {
      const dotted = [...after['require-jwt']!, requireJwt({ from: [{ source: { requestPrincipals: [principal] } }], when: [{ key: 'request.auth.claims.groups', values: ['group1'] }] })];
      expect(failure(await m.run('require-group', dotted), 'L14.GROUP_CLAIM').hint).toMatch(/condition key "request.auth.claims.groups"/);
      const wrong = [...after['require-jwt']!, requireJwt({ from: [{ source: { requestPrincipals: [principal] } }], when: [{ key: 'request.auth.claims[groups]', values: ['group3'] }] })];
      expect(failure(await m.run('require-group', wrong), 'L14.GROUP_CLAIM').hint).toMatch(/requires \["group3"\]/);
    });
  });
});
