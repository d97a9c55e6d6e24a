import { cookies } from 'next/headers';
import { NextResponse } from 'next/server';
import { errorResponse } from '../api/api-route';
import { ApiError } from '../api/api-error';
import { assertJsonContentType, assertSameOrigin, portalOrigin } from '../api/request-guards';
import { portalConfig } from '../portal-config';
import { portal, type PortalServices } from '../portal-services';
import { instructorCookieName } from './instructor-cookie';
import { instructorForToken, type Instructor } from './instructor-store';

export interface InstructorRequest<P> {
  request: Request;
  params: P;
  instructor: Instructor;
  services: PortalServices;
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The signed-in instructor of this request (pages and routes), or undefined. */
export async function currentInstructor(services: PortalServices): Promise<Instructor | undefined> {
  return instructorForToken(services.db, (await cookies()).get(instructorCookieName)?.value);
}

/**
 * Wraps an instructor API route: the same CSRF guards as learner routes, then a valid instructor
 * session or 401. A learner's cookie is not an instructor session, whatever it says. A handler may
 * answer a Response of its own (an event stream); anything else is sent as JSON.
 */
export function instructorRoute<P>(handler: (req: InstructorRequest<P>) => Promise<unknown>) {
  return async (request: Request, context: { params: Promise<P> }) => {
    const requestId = crypto.randomUUID();
    try {
      if (!safeMethods.has(request.method)) {
        assertSameOrigin(request, portalOrigin(request, portalConfig().PORTAL_PUBLIC_URL));
        assertJsonContentType(request);
      }
      const services = await portal();
      const instructor = await currentInstructor(services);
      if (!instructor) throw new ApiError('not-allowed', 'instructors only: sign in at /instructor/sign-in');
      const body = await handler({ request, params: await context.params, instructor, services });
      if (body instanceof Response) return body;
      return NextResponse.json(body, { headers: { 'cache-control': 'no-store' } });
    } catch (error) {
      return errorResponse(error, request, requestId);
    }
  };
}
