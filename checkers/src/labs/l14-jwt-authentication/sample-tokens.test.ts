import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeJwt, readJwks, signatureVerifies } from '../../istio/rules/request-authentication';
import { demoToken, groupsScopeToken, sampleJwks } from './sample-tokens';

const file = (rel: string) => readFileSync(new URL(`../../../../${rel}`, import.meta.url), 'utf8');

// One key set and two tokens live in four places: the toolbox files, this module, and the lab's
// solutions. make-samples.mjs writes the first two; these tests catch a solution left behind.
describe('the JWT lab samples', () => {
  it('the toolbox files are the tokens and key set the checks use', () => {
    expect(file('clusters/toolbox/jwt/jwks.json').trim()).toBe(sampleJwks);
    expect(file('clusters/toolbox/jwt/demo.jwt').trim()).toBe(demoToken);
    expect(file('clusters/toolbox/jwt/groups-scope.jwt').trim()).toBe(groupsScopeToken);
  });
  it('the solutions embed the same key set and token', () => {
    expect(file('labs/l14-jwt-authentication/solutions/inline-jwks.sh')).toContain(`jwks: '${sampleJwks}'`);
    expect(file('labs/l14-jwt-authentication/solutions/try-tokens.sh')).toContain(`TOKEN='${demoToken}'`);
  });
  it('both tokens verify against the key set and do not expire before 2100', () => {
    for (const t of [demoToken, groupsScopeToken]) {
      const jwt = decodeJwt(t)!;
      expect(signatureVerifies(jwt, readJwks(sampleJwks))).toBe(true);
      expect(jwt.claims.exp).toBeGreaterThanOrEqual(4102444800);
    }
  });
  it('the toolbox image copies the files', () => {
    expect(file('clusters/toolbox/Dockerfile')).toMatch(/COPY jwt\/demo\.jwt jwt\/groups-scope\.jwt jwt\/jwks\.json \/etc\/istio-workshop\/jwt\//);
  });
});
