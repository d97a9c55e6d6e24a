import { cookies } from 'next/headers';
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { ApiError } from '../../../../src/api/api-error';
import { jsonBody, publicRoute } from '../../../../src/api/api-route';
import { instructorCookie, instructorCookieName } from '../../../../src/instructors/instructor-cookie';
import { instructorRoute } from '../../../../src/instructors/instructor-route';
import { instructorSessionHours, signIn, signOut } from '../../../../src/instructors/instructor-store';
import { clientAddress, NewLearnerLimiter } from '../../../../src/learner/new-learner-limiter';
import { logger } from '../../../../src/observability/logger';
import { portalConfig } from '../../../../src/portal-config';
import { portal } from '../../../../src/portal-services';

const signInSchema = z.object({ email: z.string().max(320), password: z.string().max(200) });
// Ten tries a minute per address: enough for typos, far too few to guess a password.
const holder = globalThis as unknown as { __workshopSignIns?: NewLearnerLimiter };

/** Signs an instructor in: sets the session cookie, or answers 401 without saying which part was wrong. */
export const POST = publicRoute(async ({ request }) => {
  const config = portalConfig();
  holder.__workshopSignIns ??= new NewLearnerLimiter(10);
  const wait = holder.__workshopSignIns.take(clientAddress(request.headers));
  if (wait !== undefined)
    throw new ApiError('too-many-requests', `too many sign-in attempts; try again in ${wait} s`, wait);
  const { email, password } = await jsonBody(request, signInSchema, 'sign-in');
  const services = await portal();
  const session = await signIn(services.db, email, password);
  if (!session) throw new ApiError('not-signed-in', 'wrong email or password');
  logger().info({ instructorId: session.instructor.id }, 'instructor signed in');
  const response = NextResponse.json({ instructor: session.instructor }, { headers: { 'cache-control': 'no-store' } });
  const secure = config.PORTAL_PUBLIC_URL?.startsWith('https:') || new URL(request.url).protocol === 'https:';
  response.cookies.set(instructorCookie(session.token, { secure, maxAgeSeconds: instructorSessionHours * 3600 }));
  return response;
});

/** Who is signed in (the instructor pages ask on load). */
export const GET = instructorRoute(async ({ instructor }) => ({ instructor }));

/** Signs out: the session is deleted on the server, not only the cookie in this browser. */
export const DELETE = instructorRoute(async ({ services }) => {
  const jar = await cookies();
  const token = jar.get(instructorCookieName)?.value;
  if (token) await signOut(services.db, token);
  jar.delete(instructorCookieName);
  return { signedOut: true };
});
