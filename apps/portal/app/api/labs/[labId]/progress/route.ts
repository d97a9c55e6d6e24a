import { ApiError } from '../../../../../src/api/api-error';
import { learnerRoute } from '../../../../../src/api/api-route';
import { labCatalog } from '../../../../../src/labs/lab-catalog';
import { progressForLab } from '../../../../../src/progress/progress-store';

export const GET = learnerRoute<{ labId: string }>(async ({ params, learnerId, services }) => {
  if (!labCatalog().labs.some((l) => l.id === params.labId)) throw new ApiError('not-found', `unknown lab "${params.labId}"`);
  return { progress: await progressForLab(services.db, learnerId, params.labId) };
});
