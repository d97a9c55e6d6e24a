// Test double of an OpenID Connect issuer, served over real HTTP on a loopback port: discovery,
// JWKS (an RSA key made per issuer), /authorize (signs in whoever the test names and redirects back
// with a code) and /token (checks the client secret, the code, the redirect URI and the PKCE
// verifier, then answers an RS256 ID token carrying the nonce). Tests bend its answers through
// `next`: the user, extra or replaced claims, or a different signing key.

import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

export interface FakeUser {
  sub: string;
  email?: string;
  email_verified?: unknown;
  name?: string;
}

export interface FakeIssuerBehaviour {
  user: FakeUser;
  /** Claims laid over the ID token's (e.g. an `exp` in the past). */
  claims?: JWTPayload;
  /** Sign with this key instead of the published one (a forged token). */
  signingKey?: CryptoKey;
  /** Answer /authorize with this error instead of a code. */
  error?: string;
}

interface Grant {
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce: string | undefined;
  behaviour: FakeIssuerBehaviour;
}

export interface FakeIssuer {
  url: string;
  clientId: string;
  clientSecret: string;
  next: FakeIssuerBehaviour;
  /** Requests to /token, for assertions (e.g. that PKCE was used). */
  tokenRequests: URLSearchParams[];
  close(): Promise<void>;
}

async function body(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeIssuer(): Promise<FakeIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'fake-1', alg: 'RS256', use: 'sig' };
  const grants = new Map<string, Grant>();
  const clientId = 'workshop-portal';
  const clientSecret = randomBytes(16).toString('hex');
  let base = '';

  const server: Server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', base);
      const json = (status: number, value: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        response.end(JSON.stringify(value));
      };
      if (url.pathname === '/.well-known/openid-configuration')
        return json(200, {
          issuer: base,
          authorization_endpoint: `${base}/authorize`,
          token_endpoint: `${base}/token`,
          jwks_uri: `${base}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['client_secret_basic'],
          scopes_supported: ['openid', 'email', 'profile'],
        });
      if (url.pathname === '/jwks') return json(200, { keys: [jwk] });
      if (url.pathname === '/authorize') {
        const p = url.searchParams;
        const redirectUri = p.get('redirect_uri') ?? '';
        if (
          p.get('client_id') !== clientId ||
          p.get('response_type') !== 'code' ||
          p.get('code_challenge_method') !== 'S256' ||
          !p.get('code_challenge')
        )
          return json(400, { error: 'invalid_request' });
        const back = new URL(redirectUri);
        if (issuer.next.error) back.searchParams.set('error', issuer.next.error);
        else {
          const code = randomBytes(16).toString('hex');
          grants.set(code, {
            clientId,
            redirectUri,
            challenge: p.get('code_challenge')!,
            nonce: p.get('nonce') ?? undefined,
            behaviour: issuer.next,
          });
          back.searchParams.set('code', code);
        }
        back.searchParams.set('state', p.get('state') ?? '');
        response.writeHead(302, { location: back.href });
        return response.end();
      }
      if (url.pathname === '/token' && request.method === 'POST') {
        const form = new URLSearchParams(await body(request));
        issuer.tokenRequests.push(form);
        const [id, secret] = Buffer.from((request.headers.authorization ?? '').replace(/^Basic /, ''), 'base64')
          .toString('utf8')
          .split(':')
          .map(decodeURIComponent);
        if (id !== clientId || secret !== clientSecret) return json(401, { error: 'invalid_client' });
        const grant = grants.get(form.get('code') ?? '');
        grants.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        if (
          !grant ||
          form.get('grant_type') !== 'authorization_code' ||
          form.get('redirect_uri') !== grant.redirectUri ||
          createHash('sha256').update(verifier).digest('base64url') !== grant.challenge
        )
          return json(400, { error: 'invalid_grant' });
        const { user, claims, signingKey } = grant.behaviour;
        const now = Math.floor(Date.now() / 1000);
        // Claims the test gives replace the issuer's own, audience and expiry included.
        const payload: JWTPayload = {
          ...user,
          iss: base,
          aud: clientId,
          iat: now,
          exp: now + 300,
          nonce: grant.nonce,
          ...claims,
        };
        const idToken = await new SignJWT(payload)
          .setProtectedHeader({ alg: 'RS256', kid: 'fake-1' })
          .sign(signingKey ?? privateKey);
        return json(200, {
          access_token: randomBytes(16).toString('hex'),
          token_type: 'Bearer',
          expires_in: 300,
          id_token: idToken,
        });
      }
      json(404, { error: 'not_found' });
    })().catch((error: unknown) => {
      response.writeHead(500);
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer: FakeIssuer = {
    url: base,
    clientId,
    clientSecret,
    next: { user: { sub: 'user-1' } },
    tokenRequests: [],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return issuer;
}
