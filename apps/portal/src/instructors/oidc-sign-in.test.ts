import { generateKeyPair } from 'jose';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PortalDatabase } from '../db/database-schema';
import { openDatabase } from '../db/open-database';
import { startFakeIssuer, type FakeIssuer, type FakeIssuerBehaviour } from '../testing/fake-oidc-issuer';
import { portalTestDatabases } from '../testing/portal-test-databases';
import { instructorCookieName } from './instructor-cookie';
import { createInstructor, instructorForToken, listInstructors } from './instructor-store';
import { oidcCallbackResponse, oidcStartResponse } from './oidc-responses';
import {
  decodeTransaction,
  encodeTransaction,
  oidcProblemMessages,
  oidcSettingsFrom,
  oidcTransactionCookieName,
  type OidcSettings,
} from './oidc-sign-in';

const secret = 's'.repeat(32);

function settingsFor(issuer: FakeIssuer, over: Partial<Parameters<typeof oidcSettingsFrom>[0]> = {}): OidcSettings {
  return oidcSettingsFrom({
    PORTAL_OIDC_ISSUER: issuer.url,
    PORTAL_OIDC_CLIENT_ID: issuer.clientId,
    PORTAL_OIDC_CLIENT_SECRET: issuer.clientSecret,
    PORTAL_PUBLIC_URL: 'http://127.0.0.1:3999',
    WORKSHOP_TOKEN_SECRET: secret,
    ...over,
  })!;
}

function setCookies(response: Response): Map<string, string> {
  return new Map(
    response.headers.getSetCookie().map((c) => {
      const [pair] = c.split(';');
      const at = pair!.indexOf('=');
      return [pair!.slice(0, at), pair!.slice(at + 1)];
    }),
  );
}

interface Outcome {
  response: Response;
  /** The sign-in page's `oidc` problem, when sent back there. */
  problem: string | null;
  sessionToken: string | undefined;
}

/**
 * What a browser does: start, follow the issuer's /authorize (which signs in `behaviour.user`),
 * come back to the callback with the transaction cookie. `tamper` may change the callback URL.
 */
async function signInThroughIssuer(
  settings: OidcSettings,
  issuer: FakeIssuer,
  db: Kysely<PortalDatabase>,
  behaviour: FakeIssuerBehaviour,
  tamper: (callback: URL) => void = () => {},
): Promise<Outcome> {
  issuer.next = behaviour;
  const start = await oidcStartResponse(settings);
  expect(start.status).toBe(303);
  const transaction = setCookies(start).get(oidcTransactionCookieName);
  expect(transaction).toBeTruthy();
  expect(start.headers.getSetCookie()[0]).toMatch(/HttpOnly/);
  const authorize = await fetch(start.headers.get('location')!, { redirect: 'manual' });
  expect(authorize.status).toBe(302);
  const callback = new URL(authorize.headers.get('location')!);
  expect(callback.href.startsWith(settings.redirectUri)).toBe(true);
  tamper(callback);
  const response = await oidcCallbackResponse(
    settings,
    db,
    new Request(callback, { headers: { cookie: `other=1; ${oidcTransactionCookieName}=${transaction}` } }),
  );
  const location = response.headers.get('location');
  return {
    response,
    problem: location ? new URL(location).searchParams.get('oidc') : null,
    sessionToken: setCookies(response).get(instructorCookieName),
  };
}

describe('the OIDC transaction cookie', () => {
  it('is refused when altered, signed with another secret or expired', () => {
    const tx = { state: 'st', nonce: 'no', verifier: 've', expiresAt: Date.now() + 60_000 };
    const value = encodeTransaction(secret, tx);
    expect(decodeTransaction(secret, value)).toEqual(tx);
    expect(decodeTransaction('t'.repeat(32), value)).toBeUndefined();
    expect(
      decodeTransaction(
        secret,
        `${encodeTransaction(secret, { ...tx, state: 'other' }).split('.')[0]}.${value.split('.')[1]}`,
      ),
    ).toBeUndefined();
    expect(decodeTransaction(secret, value, Date.now() + 120_000)).toBeUndefined();
    expect(decodeTransaction(secret, undefined)).toBeUndefined();
  });
});

describe('OIDC settings', () => {
  it('are absent unless an issuer is configured', () => {
    expect(
      oidcSettingsFrom({ WORKSHOP_TOKEN_SECRET: secret, PORTAL_PUBLIC_URL: 'https://w.example.org' }),
    ).toBeUndefined();
    const s = oidcSettingsFrom({
      WORKSHOP_TOKEN_SECRET: secret,
      PORTAL_PUBLIC_URL: 'https://w.example.org/',
      PORTAL_OIDC_ISSUER: 'https://login.example.org/realms/staff',
      PORTAL_OIDC_CLIENT_ID: 'c',
      PORTAL_OIDC_CLIENT_SECRET: 's',
    });
    expect(s?.redirectUri).toBe('https://w.example.org/api/instructor/oidc/callback');
    expect(s?.name).toBe('login.example.org');
    expect(s?.autoCreate).toBe(false);
  });
});

describe.each(portalTestDatabases())('OIDC instructor sign-in on $kind', (variant) => {
  let issuer: FakeIssuer;
  const opened: Kysely<PortalDatabase>[] = [];
  beforeAll(async () => {
    issuer = await startFakeIssuer();
  });
  afterAll(async () => {
    await Promise.all(opened.map((db) => db.destroy()));
    await issuer.close();
  });

  async function setup() {
    const db = await openDatabase(await variant.location());
    opened.push(db);
    const ada = await createInstructor(db, {
      email: 'ada@example.org',
      displayName: 'Ada',
      password: 'ada long password',
    });
    return { db, ada };
  }

  it('signs in the instructor whose email the issuer verified, with the same session a password gives', async () => {
    const { db, ada } = await setup();
    const settings = settingsFor(issuer);
    const outcome = await signInThroughIssuer(settings, issuer, db, {
      user: { sub: 'u-ada', email: 'Ada@Example.org', email_verified: true, name: 'Ada L.' },
    });
    expect(outcome.problem).toBeNull();
    expect(outcome.response.status).toBe(200);
    expect(await outcome.response.text()).toContain('url=/instructor');
    const cookie = outcome.response.headers.getSetCookie().find((c) => c.startsWith(`${instructorCookieName}=`))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(setCookies(outcome.response).get(oidcTransactionCookieName)).toBe('');
    expect(await instructorForToken(db, outcome.sessionToken)).toEqual(ada);
    // PKCE: the token request carried a verifier the issuer checked against the challenge.
    expect(issuer.tokenRequests.at(-1)?.get('code_verifier')).toBeTruthy();
  });

  it('refuses an email with no instructor account, saying so, and makes none', async () => {
    const { db } = await setup();
    const outcome = await signInThroughIssuer(settingsFor(issuer), issuer, db, {
      user: { sub: 'u-eve', email: 'eve@example.org', email_verified: true },
    });
    expect(outcome.problem).toBe('unknown-email');
    expect(oidcProblemMessages['unknown-email']).toMatch(/no instructor account here has that email/);
    expect(outcome.sessionToken).toBeUndefined();
    expect((await listInstructors(db)).map((i) => i.email)).toEqual(['ada@example.org']);
  });

  it('makes the account on first sign-in when the operator allows it (not an admin, no usable password)', async () => {
    const { db } = await setup();
    const outcome = await signInThroughIssuer(settingsFor(issuer, { PORTAL_OIDC_AUTO_CREATE: true }), issuer, db, {
      user: { sub: 'u-bo', email: 'bo@example.org', email_verified: true, name: 'Bo' },
    });
    expect(outcome.problem).toBeNull();
    const bo = await instructorForToken(db, outcome.sessionToken);
    expect(bo).toMatchObject({ email: 'bo@example.org', displayName: 'Bo', isAdmin: false });
  });

  it('refuses an email the issuer has not verified', async () => {
    const { db } = await setup();
    for (const email_verified of [false, 'true', undefined]) {
      const outcome = await signInThroughIssuer(settingsFor(issuer, { PORTAL_OIDC_AUTO_CREATE: true }), issuer, db, {
        user: { sub: 'u-ada', email: 'ada@example.org', email_verified },
      });
      expect(outcome.problem).toBe('email-not-verified');
      expect(outcome.sessionToken).toBeUndefined();
    }
  });

  it('refuses a callback whose state is not this browser’s, or that comes without the transaction cookie', async () => {
    const { db } = await setup();
    const settings = settingsFor(issuer);
    const user = { sub: 'u-ada', email: 'ada@example.org', email_verified: true };
    const wrong = await signInThroughIssuer(settings, issuer, db, { user }, (u) =>
      u.searchParams.set('state', 'forged-state'),
    );
    expect(wrong.problem).toBe('bad-state');
    expect(wrong.sessionToken).toBeUndefined();

    issuer.next = { user };
    const start = await oidcStartResponse(settings);
    const authorize = await fetch(start.headers.get('location')!, { redirect: 'manual' });
    const bare = await oidcCallbackResponse(settings, db, new Request(authorize.headers.get('location')!));
    expect(new URL(bare.headers.get('location')!).searchParams.get('oidc')).toBe('bad-state');
  });

  it('refuses an ID token signed by another key, expired, or for another nonce', async () => {
    const { db } = await setup();
    const settings = settingsFor(issuer);
    const user = { sub: 'u-ada', email: 'ada@example.org', email_verified: true };
    const { privateKey: forgerKey } = await generateKeyPair('RS256');
    const now = Math.floor(Date.now() / 1000);
    for (const behaviour of [
      { user, signingKey: forgerKey },
      { user, claims: { iat: now - 3600, exp: now - 1800 } },
      { user, claims: { nonce: 'someone-elses' } },
      { user, claims: { aud: 'another-client' } },
    ]) {
      const outcome = await signInThroughIssuer(settings, issuer, db, behaviour);
      expect(outcome.problem, JSON.stringify(behaviour.claims ?? 'forged key')).toBe('rejected');
      expect(outcome.sessionToken).toBeUndefined();
    }
  });

  it('sends the instructor back to the sign-in page when the issuer answers an error', async () => {
    const { db } = await setup();
    const outcome = await signInThroughIssuer(settingsFor(issuer), issuer, db, {
      user: { sub: 'x' },
      error: 'access_denied',
    });
    expect(outcome.problem).toBe('denied');
  });
});

describe('an unreachable issuer', () => {
  it('sends the instructor back to the sign-in page instead of failing', async () => {
    const issuer = await startFakeIssuer();
    await issuer.close();
    const response = await oidcStartResponse(settingsFor(issuer));
    expect(new URL(response.headers.get('location')!).searchParams.get('oidc')).toBe('unavailable');
  });
});
