#!/usr/bin/env node
// Makes the JWT lab's sample tokens and the key set that verifies them: a fresh RSA key pair, a
// JWKS with its public half (what a RequestAuthentication holds inline in `jwks`), and two RS256
// tokens that do not expire before 2100. The private key is thrown away: to change a token, run
// this again and commit every file it writes (the lab's solutions embed the JWKS and the tokens;
// checkers/src/labs/l14-jwt-authentication/sample-tokens.test.ts fails while they disagree).
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = publicKey.export({ format: 'jwk' });
const kid = createHash('sha256').update(jwk.n).digest('base64url').slice(0, 16);
const jwks = JSON.stringify({ keys: [{ kty: 'RSA', alg: 'RS256', use: 'sig', kid, n: jwk.n, e: jwk.e }] });

const b64 = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');
function token(claims) {
  const signingInput = `${b64({ alg: 'RS256', kid, typ: 'JWT' })}.${b64(claims)}`;
  return `${signingInput}.${sign('RSA-SHA256', Buffer.from(signingInput), privateKey).toString('base64url')}`;
}
const issuer = 'testing@secure.istio.io';
const base = { iss: issuer, sub: issuer, iat: 1764806400, exp: 4102444800 };
const demo = token(base);
const groups = token({ ...base, groups: ['group1', 'group2'], scope: ['scope1', 'scope2'] });

writeFileSync(path.join(here, 'jwks.json'), `${jwks}\n`);
writeFileSync(path.join(here, 'demo.jwt'), `${demo}\n`);
writeFileSync(path.join(here, 'groups-scope.jwt'), `${groups}\n`);
writeFileSync(
  path.join(root, 'checkers/src/labs/l14-jwt-authentication/sample-tokens.ts'),
  `// Written by clusters/toolbox/jwt/make-samples.mjs; the toolbox has the same files in /etc/istio-workshop/jwt.

/** The issuer (and subject) of both sample tokens. */
export const sampleIssuer = '${issuer}';
/** The key set that verifies the sample tokens, as a RequestAuthentication holds it in \`jwks\`. */
export const sampleJwks = '${jwks}';
/** iss = sub = ${issuer}. */
export const demoToken = '${demo}';
/** demoToken's claims plus groups [group1, group2] and scope [scope1, scope2]. */
export const groupsScopeToken = '${groups}';
`,
);
console.log(`kid ${kid}: wrote jwks.json, demo.jwt, groups-scope.jwt and sample-tokens.ts`);
