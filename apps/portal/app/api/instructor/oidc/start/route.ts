import { ApiError } from '../../../../../src/api/api-error';
import { publicRoute } from '../../../../../src/api/api-route';
import { oidcStartResponse } from '../../../../../src/instructors/oidc-responses';
import { oidcSettingsFrom } from '../../../../../src/instructors/oidc-sign-in';
import { portalConfig } from '../../../../../src/portal-config';

/** Sends the instructor to the configured OIDC issuer (404 when none is configured). */
export const GET = publicRoute(async () => {
  const settings = oidcSettingsFrom(portalConfig());
  if (!settings)
    throw new ApiError('not-found', 'OIDC sign-in is not configured on this portal (PORTAL_OIDC_ISSUER is unset)');
  return oidcStartResponse(settings);
});
