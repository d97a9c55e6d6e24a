import { portalConfig } from '../portal-config';
import { decodeLearnerCookie, learnerCookieName } from './learner-cookie';

interface CookieReader {
  get(name: string): { value: string } | undefined;
}

/** The signed-in (anonymous) learner of this request, or undefined for a missing or forged cookie. */
export async function currentLearnerId(cookies: CookieReader): Promise<string | undefined> {
  return decodeLearnerCookie(portalConfig().WORKSHOP_TOKEN_SECRET, cookies.get(learnerCookieName)?.value);
}
