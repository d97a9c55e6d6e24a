// The instructor's sign-in cookie holds a random session token; the database knows which
// instructor it belongs to (only its hash is stored) and when it expires.

export const instructorCookieName = 'iw_instructor';

export interface InstructorCookieOptions {
  secure: boolean;
  maxAgeSeconds: number;
}

/** SameSite=Strict: no other site can make the browser send it, not even a top-level link. */
export function instructorCookie(token: string, options: InstructorCookieOptions) {
  return {
    name: instructorCookieName,
    value: token,
    httpOnly: true,
    sameSite: 'strict' as const,
    path: '/',
    secure: options.secure,
    maxAge: options.maxAgeSeconds,
  };
}
