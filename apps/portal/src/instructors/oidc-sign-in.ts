// Optional instructor sign-in through an OpenID Connect issuer the operator configures: the
// authorization code flow with PKCE, done by openid-client. The issuer proves an email address;
// the portal maps it to an instructor account it already has (or, when the operator allows it,
// makes one) and opens the same session a password sign-in opens.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import * as oidc from 'openid-client';
import { z } from 'zod';
import type { PortalDatabase } from '../db/database-schema';
import { logger } from '../observability/logger';
import { createInstructor, instructorByEmail, openSession, type InstructorSession } from './instructor-store';

export interface OidcSettings {
  issuer: URL;
  clientId: string;
  clientSecret: string;
  /** Where the issuer sends the browser back: <PORTAL_PUBLIC_URL>/api/instructor/oidc/callback. */
  redirectUri: string;
  /** What the sign-in button names: "Sign in with <name>". */
  name: string;
  autoCreate: boolean;
  /** Signs the short-lived transaction cookie (WORKSHOP_TOKEN_SECRET). */
  secret: string;
}

export const oidcCallbackPath = '/api/instructor/oidc/callback';
export const oidcStartPath = '/api/instructor/oidc/start';
export const oidcTransactionCookieName = 'iw_oidc';
const transactionMinutes = 10;

/** The settings from the portal's configuration, or undefined when no issuer is configured. */
export function oidcSettingsFrom(config: {
  PORTAL_OIDC_ISSUER?: string;
  PORTAL_OIDC_CLIENT_ID?: string;
  PORTAL_OIDC_CLIENT_SECRET?: string;
  PORTAL_OIDC_NAME?: string;
  PORTAL_OIDC_AUTO_CREATE?: boolean;
  PORTAL_PUBLIC_URL?: string;
  WORKSHOP_TOKEN_SECRET: string;
}): OidcSettings | undefined {
  const {
    PORTAL_OIDC_ISSUER: issuer,
    PORTAL_OIDC_CLIENT_ID: clientId,
    PORTAL_OIDC_CLIENT_SECRET: clientSecret,
    PORTAL_PUBLIC_URL: publicUrl,
  } = config;
  // The portal's configuration refuses a partial set at start; this only sees all or nothing.
  if (!issuer || !clientId || !clientSecret || !publicUrl) return undefined;
  const issuerUrl = new URL(issuer);
  return {
    issuer: issuerUrl,
    clientId,
    clientSecret,
    redirectUri: new URL(oidcCallbackPath, publicUrl).href,
    name: config.PORTAL_OIDC_NAME || issuerUrl.host,
    autoCreate: config.PORTAL_OIDC_AUTO_CREATE ?? false,
    secret: config.WORKSHOP_TOKEN_SECRET,
  };
}

/** Why a sign-in through the issuer did not open a session; the sign-in page words each one. */
export type OidcProblem = 'unknown-email' | 'email-not-verified' | 'bad-state' | 'denied' | 'rejected' | 'unavailable';

export const oidcProblemMessages: Record<OidcProblem, string> = {
  'unknown-email':
    'Your identity provider signed you in, but no instructor account here has that email. Ask whoever runs this platform to create one (npm run admin -- create-instructor).',
  'email-not-verified':
    'Your identity provider has not verified your email address, so it cannot stand for an instructor account.',
  'bad-state':
    'This sign-in was not started in this browser, or took longer than 10 minutes. Start it again from this page.',
  denied: 'The identity provider did not sign you in.',
  rejected:
    'The identity provider’s answer could not be verified (signature, issuer, audience, expiry or nonce), so it was refused.',
  unavailable: 'The identity provider could not be reached. Try again, or sign in with your password.',
};

export class OidcSignInError extends Error {
  constructor(
    readonly problem: OidcProblem,
    detail?: string,
  ) {
    super(detail ? `${oidcProblemMessages[problem]} (${detail})` : oidcProblemMessages[problem]);
    this.name = 'OidcSignInError';
  }
}

// Discovery once per issuer and client (the JWKS is cached inside the Configuration).
const discovered = new Map<string, Promise<oidc.Configuration>>();

function isLoopback(url: URL): boolean {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

async function issuerConfiguration(settings: OidcSettings): Promise<oidc.Configuration> {
  const key = `${settings.issuer.href} ${settings.clientId}`;
  let config = discovered.get(key);
  if (!config) {
    config = oidc
      .discovery(settings.issuer, settings.clientId, undefined, oidc.ClientSecretBasic(settings.clientSecret), {
        // Plain http only for an issuer on this machine (a local test or development issuer).
        execute:
          settings.issuer.protocol === 'http:' && isLoopback(settings.issuer) ? [oidc.allowInsecureRequests] : [],
      })
      .then((c) => {
        // Check the ID token's signature against the issuer's JWKS as well, not only TLS to the token endpoint.
        oidc.enableNonRepudiationChecks(c);
        return c;
      });
    discovered.set(key, config);
    config.catch(() => discovered.delete(key));
  }
  return config;
}

const transactionSchema = z.object({
  state: z.string().min(1),
  nonce: z.string().min(1),
  verifier: z.string().min(1),
  expiresAt: z.number(),
});
type Transaction = z.infer<typeof transactionSchema>;

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(`oidc-transaction:${payload}`).digest('base64url');
}

export function encodeTransaction(secret: string, transaction: Transaction): string {
  const payload = Buffer.from(JSON.stringify(transaction)).toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

/** The transaction of a well-formed, correctly signed, unexpired cookie, else undefined. */
export function decodeTransaction(
  secret: string,
  value: string | undefined,
  now = Date.now(),
): Transaction | undefined {
  if (!value || value.length > 2000) return undefined;
  const [payload, mac] = value.split('.');
  if (!payload || !mac) return undefined;
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    const parsed = transactionSchema.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    return parsed.success && parsed.data.expiresAt > now ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where to send the browser to sign in, and the transaction cookie value that must come back with
 * it: state (against login CSRF), nonce (binds the ID token to this sign-in) and the PKCE verifier.
 */
export async function beginOidcSignIn(
  settings: OidcSettings,
): Promise<{ authorizationUrl: URL; transactionCookie: string }> {
  const config = await issuerConfiguration(settings).catch((error: unknown) => {
    logger().warn({ err: error, issuer: settings.issuer.href }, 'OIDC discovery failed');
    throw new OidcSignInError('unavailable');
  });
  const transaction: Transaction = {
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    verifier: oidc.randomPKCECodeVerifier(),
    expiresAt: Date.now() + transactionMinutes * 60_000,
  };
  const authorizationUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: settings.redirectUri,
    scope: 'openid email profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(transaction.verifier),
    code_challenge_method: 'S256',
    state: transaction.state,
    nonce: transaction.nonce,
  });
  return { authorizationUrl, transactionCookie: encodeTransaction(settings.secret, transaction) };
}

const claimsSchema = z.object({
  email: z.string().optional(),
  email_verified: z.unknown().optional(),
  name: z.string().optional(),
});

/**
 * Finishes a sign-in: checks the transaction and the issuer's answer (openid-client checks the
 * code exchange, the ID token's signature, issuer, audience, expiry and nonce), then maps the
 * verified email to an instructor and opens a session. Throws OidcSignInError naming the problem.
 */
export async function completeOidcSignIn(
  settings: OidcSettings,
  db: Kysely<PortalDatabase>,
  input: { callbackSearch: string; transactionCookie: string | undefined },
): Promise<InstructorSession> {
  const transaction = decodeTransaction(settings.secret, input.transactionCookie);
  const callbackUrl = new URL(settings.redirectUri);
  callbackUrl.search = input.callbackSearch;
  if (!transaction || callbackUrl.searchParams.get('state') !== transaction.state)
    throw new OidcSignInError('bad-state');
  if (callbackUrl.searchParams.has('error'))
    throw new OidcSignInError(
      'denied',
      callbackUrl.searchParams.get('error_description') ?? callbackUrl.searchParams.get('error') ?? undefined,
    );
  const config = await issuerConfiguration(settings).catch(() => {
    throw new OidcSignInError('unavailable');
  });
  let claims: z.infer<typeof claimsSchema>;
  try {
    const tokens = await oidc.authorizationCodeGrant(
      config,
      callbackUrl,
      {
        pkceCodeVerifier: transaction.verifier,
        expectedState: transaction.state,
        expectedNonce: transaction.nonce,
        idTokenExpected: true,
      },
      { redirect_uri: settings.redirectUri },
    );
    claims = claimsSchema.parse(tokens.claims());
  } catch (error) {
    logger().warn({ err: error, issuer: settings.issuer.href }, 'OIDC sign-in refused');
    if (error instanceof oidc.AuthorizationResponseError) throw new OidcSignInError('denied', error.error);
    throw new OidcSignInError('rejected');
  }
  // Only an address the issuer says it verified may stand for an account (a claim of `true`, not "true").
  if (!claims.email || claims.email_verified !== true) throw new OidcSignInError('email-not-verified');
  const email = claims.email.trim().toLowerCase();
  let instructor = await instructorByEmail(db, email);
  if (!instructor && settings.autoCreate) {
    instructor = await createInstructor(db, {
      email,
      displayName: claims.name?.trim() || email.split('@')[0] || email,
      // No password anyone knows: this account signs in through the issuer only.
      password: randomBytes(32).toString('base64url'),
    });
    logger().info(
      { instructorId: instructor.id, issuer: settings.issuer.href },
      'instructor account created from OIDC sign-in',
    );
  }
  if (!instructor) throw new OidcSignInError('unknown-email', email);
  return openSession(db, instructor);
}
