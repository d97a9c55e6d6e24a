import { ApiError } from '../../../../../src/api/api-error';
import { publicRoute } from '../../../../../src/api/api-route';
import { oidcCallbackResponse } from '../../../../../src/instructors/oidc-responses';
import { oidcSettingsFrom } from '../../../../../src/instructors/oidc-sign-in';
import { portalConfig } from '../../../../../src/portal-config';
import { portal } from '../../../../../src/portal-services';

/** Where the issuer sends the instructor back: a session, or the sign-in page naming the problem. */
export const GET = publicRoute(async ({ request }) => {
  const settings = oidcSettingsFrom(portalConfig());
  if (!settings)
    throw new ApiError('not-found', 'OIDC sign-in is not configured on this portal (PORTAL_OIDC_ISSUER is unset)');
  const services = await portal();
  return oidcCallbackResponse(settings, services.db, request);
});
