import { cookies } from 'next/headers';
import { guardedRoute } from '../api/api-route';
import { ApiError } from '../api/api-error';
import { portal, type PortalServices } from '../portal-services';
import { instructorCookieName } from './instructor-cookie';
import { instructorForToken, type Instructor } from './instructor-store';

export interface InstructorRequest<P> {
  request: Request;
  params: P;
  instructor: Instructor;
  services: PortalServices;
}

/** The signed-in instructor of this request (pages and routes), or undefined. */
export async function currentInstructor(services: PortalServices): Promise<Instructor | undefined> {
  return instructorForToken(services.db, (await cookies()).get(instructorCookieName)?.value);
}

/**
 * An instructor API route: the same guards as every route, then a valid instructor session or 403
 * with no data. A learner's cookie is not an instructor session, whatever it says.
 */
export function instructorRoute<P>(handler: (req: InstructorRequest<P>) => Promise<unknown>) {
  return guardedRoute<{ instructor: Instructor; services: PortalServices }, P>(async () => {
    const services = await portal();
    const instructor = await currentInstructor(services);
    if (!instructor) throw new ApiError('not-allowed', 'instructors only: sign in at /instructor/sign-in');
    return { instructor, services };
  }, handler);
}
