import { z } from 'zod';
import { ApiError } from '../../../../../src/api/api-error';
import { jsonBody, learnerRoute } from '../../../../../src/api/api-route';
import { environmentView } from '../../../../../src/environments/environment-view';
import { labCatalog } from '../../../../../src/labs/lab-catalog';
import { ensureLabSetup } from '../../../../../src/labs/lab-setup';
import { logger } from '../../../../../src/observability/logger';
import { portalMetrics } from '../../../../../src/observability/portal-metrics';

const bodySchema = z.object({ retrySetup: z.boolean().optional() }).strict();

/**
 * Starts or rejoins the learner's environment for a lab, and runs the lab's setup.sh against it
 * once it is assigned; the page polls this while either is under way.
 */
export const POST = learnerRoute<{ labId: string }>(async ({ request, params, learnerId, services }) => {
  const lab = labCatalog().labs.find((l) => l.id === params.labId);
  if (!lab) throw new ApiError('not-found', `unknown lab "${params.labId}"`);
  const { retrySetup } = await jsonBody(request, bodySchema, 'environment request');
  try {
    const environment = await services.environments.assign(learnerId, lab.id, lab.contentVersion);
    portalMetrics().environmentAssignments.inc({ result: 'ok' });
    const setup = await ensureLabSetup(services.db, environment, lab, logger(), { retry: retrySetup });
    return { environment: { ...environmentView(environment, services.clusters), setup } };
  } catch (error) {
    // Mapped to HTTP by learnerRoute, with every other domain error.
    portalMetrics().environmentAssignments.inc({ result: 'error' });
    throw error;
  }
});
