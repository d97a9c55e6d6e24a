import { mintTerminalToken } from '@istio-workshop/terminal-gateway/token';
import { terminalTargetFor } from '@istio-workshop/clusters';
import { ApiError } from '../../../../../src/api/api-error';
import { learnerRoute } from '../../../../../src/api/api-route';

/** A short-lived signed ticket for the learner's own terminal; the gateway verifies it at the upgrade. */
export const POST = learnerRoute<{ environmentId: string }>(async ({ params, learnerId, services }) => {
  const environment = await services.environments.get(params.environmentId);
  if (!environment || environment.learnerId !== learnerId)
    throw new ApiError('not-allowed', 'this environment does not belong to you');
  if (environment.status !== 'assigned')
    throw new ApiError('conflict', `the environment is ${environment.status}, not ready for a terminal yet`);
  const config = services.config;
  const target = terminalTargetFor(environment, { ingressUrl: config.PORTAL_INGRESS_URL });
  const token = mintTerminalToken(
    config.WORKSHOP_TOKEN_SECRET,
    { v: 1, sub: learnerId, env: environment.id, role: 'learner', target },
    config.PORTAL_TERMINAL_TOKEN_TTL_SECONDS,
  );
  return { url: `${config.PORTAL_GATEWAY_URL.replace(/\/$/, '')}/terminals/${environment.id}`, token };
});
