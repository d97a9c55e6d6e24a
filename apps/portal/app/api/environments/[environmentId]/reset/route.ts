import { ApiError } from '../../../../../src/api/api-error';
import { learnerRoute } from '../../../../../src/api/api-route';
import { environmentView } from '../../../../../src/environments/environment-view';
import { logger } from '../../../../../src/observability/logger';

/** Throws the learner's environment away and gives them a fresh one (progress is kept). */
export const POST = learnerRoute<{ environmentId: string }>(async ({ params, learnerId, services }) => {
  const environment = await services.environments.get(params.environmentId);
  if (!environment || environment.learnerId !== learnerId)
    throw new ApiError('not-allowed', 'this environment does not belong to you');
  const fresh = await services.environments.reset(environment.id);
  logger().info({ learnerId, from: environment.id, to: fresh.id }, 'environment reset by learner');
  return { environment: environmentView(fresh, services.clusters) };
});
