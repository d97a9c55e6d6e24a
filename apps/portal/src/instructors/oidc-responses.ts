// The HTTP side of OIDC sign-in (the routes under app/api/instructor/oidc stay thin around these):
// which cookies are set and where the browser goes. Plain Request/Response, so tests drive the
// whole flow against a test issuer without Next.

import type { Kysely } from 'kysely';
import type { PortalDatabase } from '../db/database-schema';
import { logger } from '../observability/logger';
import { instructorCookie } from './instructor-cookie';
import { instructorSessionHours } from './instructor-store';
import {
  beginOidcSignIn,
  completeOidcSignIn,
  OidcSignInError,
  oidcTransactionCookieName,
  type OidcSettings,
} from './oidc-sign-in';

interface CookieSpec {
  name: string;
  value: string;
  path: string;
  maxAge: number;
  httpOnly: boolean;
  sameSite: 'strict' | 'lax';
  secure: boolean;
}

function serializeCookie(c: CookieSpec): string {
  const parts = [
    `${c.name}=${c.value}`,
    `Path=${c.path}`,
    `Max-Age=${c.maxAge}`,
    `SameSite=${c.sameSite === 'strict' ? 'Strict' : 'Lax'}`,
  ];
  if (c.httpOnly) parts.push('HttpOnly');
  if (c.secure) parts.push('Secure');
  return parts.join('; ');
}

function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

// Lax, not Strict: the browser must send it on the issuer's top-level redirect back to us.
// Scoped to the callback's folder and gone after ten minutes.
function transactionCookie(settings: OidcSettings, value: string, maxAge: number): string {
  return serializeCookie({
    name: oidcTransactionCookieName,
    value,
    path: '/api/instructor/oidc',
    maxAge,
    httpOnly: true,
    sameSite: 'lax',
    secure: settings.redirectUri.startsWith('https:'),
  });
}

function toSignInPage(settings: OidcSettings, problem: string): Response {
  const location = new URL('/instructor/sign-in', settings.redirectUri);
  location.searchParams.set('oidc', problem);
  return new Response(null, {
    status: 303,
    headers: { location: location.href, 'set-cookie': transactionCookie(settings, '', 0), 'cache-control': 'no-store' },
  });
}

/** GET /api/instructor/oidc/start: to the issuer, with the transaction cookie. */
export async function oidcStartResponse(settings: OidcSettings): Promise<Response> {
  try {
    const { authorizationUrl, transactionCookie: value } = await beginOidcSignIn(settings);
    return new Response(null, {
      status: 303,
      headers: {
        location: authorizationUrl.href,
        'set-cookie': transactionCookie(settings, value, 600),
        'cache-control': 'no-store',
      },
    });
  } catch (error) {
    if (error instanceof OidcSignInError) return toSignInPage(settings, error.problem);
    throw error;
  }
}

/**
 * GET /api/instructor/oidc/callback: a session cookie and on to /instructor, or back to the
 * sign-in page naming the problem. The onward step is a page of our own (a meta refresh), not a
 * redirect: the session cookie is SameSite=Strict, and a browser withholds it from a redirect chain
 * that began at the issuer's site.
 */
export async function oidcCallbackResponse(
  settings: OidcSettings,
  db: Kysely<PortalDatabase>,
  request: Request,
): Promise<Response> {
  try {
    const session = await completeOidcSignIn(settings, db, {
      callbackSearch: new URL(request.url).search,
      transactionCookie: readCookie(request, oidcTransactionCookieName),
    });
    logger().info(
      { instructorId: session.instructor.id, issuer: settings.issuer.href },
      'instructor signed in through OIDC',
    );
    const headers = new Headers({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    const cookie = instructorCookie(session.token, {
      secure: settings.redirectUri.startsWith('https:'),
      maxAgeSeconds: instructorSessionHours * 3600,
    });
    headers.append('set-cookie', serializeCookie({ ...cookie, maxAge: cookie.maxAge }));
    headers.append('set-cookie', transactionCookie(settings, '', 0));
    return new Response(
      '<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=/instructor"><title>Signed in</title><p>Signed in. <a href="/instructor">Continue to your cohorts</a>.</p>\n',
      { status: 200, headers },
    );
  } catch (error) {
    if (error instanceof OidcSignInError) {
      logger().info({ problem: error.problem, issuer: settings.issuer.href }, 'OIDC sign-in refused');
      return toSignInPage(settings, error.problem);
    }
    throw error;
  }
}
