import { EnvironmentCapacityError } from '@istio-workshop/clusters';
import { ApiError } from '../../../../../src/api/api-error';
import { learnerRoute } from '../../../../../src/api/api-route';
import { environmentView } from '../../../../../src/environments/environment-view';
import { labCatalog } from '../../../../../src/labs/lab-catalog';
import { portalMetrics } from '../../../../../src/observability/portal-metrics';

/** Starts or rejoins the learner's environment for a lab; the page polls this while it provisions. */
export const POST = learnerRoute<{ labId: string }>(async ({ params, learnerId, services }) => {
  const lab = labCatalog().labs.find((l) => l.id === params.labId);
  if (!lab) throw new ApiError('not-found', `unknown lab "${params.labId}"`);
  try {
    const environment = await services.environments.assign(learnerId, lab.id, lab.contentVersion);
    portalMetrics().environmentAssignments.inc({ result: 'ok' });
    return { environment: environmentView(environment) };
  } catch (error) {
    portalMetrics().environmentAssignments.inc({ result: 'error' });
    if (error instanceof ApiError) throw error;
    if (error instanceof EnvironmentCapacityError)
      throw new ApiError('unavailable', `every environment on this host is in use; try again in a few minutes (${error.message})`);
    throw error;
  }
});
