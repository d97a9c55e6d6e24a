import { NextResponse, type NextRequest } from 'next/server';
import { instructorCookieName } from './src/instructors/instructor-cookie';
import { decodeLearnerCookie, encodeLearnerCookie, learnerCookieName, newLearnerId } from './src/learner/learner-cookie';
import { clientAddress, NewLearnerLimiter } from './src/learner/new-learner-limiter';
import { portalConfig } from './src/portal-config';
import { newNonce, pageContentSecurityPolicy } from './src/security/security-headers';

// On globalThis so that every bundle of the proxy in this process shares one set of buckets.
const holder = globalThis as unknown as { __workshopNewLearners?: NewLearnerLimiter };

/**
 * Runs before every page: sets the page's Content-Security-Policy with a fresh nonce (Next reads
 * it from the request and stamps its scripts), and gives every visitor a signed, anonymous
 * learner identity, so a self-paced learner's progress follows their browser without a sign-up.
 * New identities are limited per client address. API routes are not matched: they check their
 * own requests (learnerRoute) and Next would otherwise buffer every request body for the proxy.
 */
export async function proxy(request: NextRequest) {
  // Pages are only read; the API (not matched here) takes every write.
  if (request.method !== 'GET' && request.method !== 'HEAD')
    return new NextResponse(`${request.method} is not allowed on a page; the portal's API is under /api.\n`, {
      status: 405,
      headers: { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' },
    });
  const config = portalConfig();
  // A guessed instructor page without an instructor session: 403 and nothing else (the pages
  // themselves also check the session against the database, and send a stale one to sign in).
  const { pathname } = request.nextUrl;
  if (pathname.startsWith('/instructor/') && !pathname.startsWith('/instructor/sign-in') && !request.cookies.get(instructorCookieName))
    return new NextResponse('Instructors only: sign in at /instructor/sign-in\n', {
      status: 403,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    });
  const nonce = newNonce();
  const csp = pageContentSecurityPolicy({ nonce, gatewayUrl: config.PORTAL_GATEWAY_URL });

  const secret = config.WORKSHOP_TOKEN_SECRET;
  const current = request.cookies.get(learnerCookieName)?.value;
  if (await decodeLearnerCookie(secret, current)) return forward(request, csp);

  holder.__workshopNewLearners ??= new NewLearnerLimiter(config.PORTAL_NEW_LEARNERS_PER_MINUTE);
  const waitSeconds = holder.__workshopNewLearners.take(clientAddress(request.headers));
  if (waitSeconds !== undefined)
    return withCsp(
      new NextResponse(`Too many new learners from your address; try again in ${waitSeconds} s.\n`, {
        status: 429,
        headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': String(waitSeconds), 'cache-control': 'no-store' },
      }),
      csp,
    );

  const value = await encodeLearnerCookie(secret, newLearnerId());
  // The page rendering this very request reads the new identity from the request's cookies.
  request.cookies.set(learnerCookieName, value);
  const response = forward(request, csp);
  response.cookies.set(learnerCookieName, value, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    maxAge: 60 * 60 * 24 * 365,
    secure: config.PORTAL_PUBLIC_URL?.startsWith('https:') || request.nextUrl.protocol === 'https:',
  });
  return response;
}

/** Lets the request through with the page's CSP on both sides: Next takes the nonce from the request's. */
function forward(request: NextRequest, csp: string): NextResponse {
  const headers = new Headers(request.headers);
  headers.set('content-security-policy', csp);
  return withCsp(NextResponse.next({ request: { headers } }), csp);
}

function withCsp(response: NextResponse, csp: string): NextResponse {
  response.headers.set('content-security-policy', csp);
  return response;
}

export const config = {
  // The addon UIs (src/dashboards) check the learner cookie themselves and carry their own CSP:
  // the page CSP's nonce would block their scripts.
  matcher: ['/((?!api/|_next/static/|_next/image/|favicon.ico|healthz|metrics|kiali(?:/|$)|grafana(?:/|$)|jaeger(?:/|$)|prometheus(?:/|$)|bookinfo(?:/|$)).*)'],
};
