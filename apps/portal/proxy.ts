import { NextResponse, type NextRequest } from 'next/server';
import { decodeLearnerCookie, encodeLearnerCookie, learnerCookieName, newLearnerId } from './src/learner/learner-cookie';

/**
 * Gives every visitor a signed, anonymous learner identity before any page renders, so a
 * self-paced learner's progress follows their browser without a sign-up.
 */
export async function proxy(request: NextRequest) {
  const secret = process.env.WORKSHOP_TOKEN_SECRET ?? '';
  if (secret.length < 32) return NextResponse.next();
  const current = request.cookies.get(learnerCookieName)?.value;
  if (await decodeLearnerCookie(secret, current)) return NextResponse.next();
  const value = await encodeLearnerCookie(secret, newLearnerId());
  request.cookies.set(learnerCookieName, value);
  const response = NextResponse.next({ request: { headers: request.headers } });
  response.cookies.set(learnerCookieName, value, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    maxAge: 60 * 60 * 24 * 365,
    secure: request.nextUrl.protocol === 'https:',
  });
  return response;
}

export const config = {
  matcher: ['/((?!_next/|favicon.ico|healthz|metrics).*)'],
};
