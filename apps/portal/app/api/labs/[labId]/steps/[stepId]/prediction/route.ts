import { findStep } from '@istio-workshop/labs';
import { z } from 'zod';
import { ApiError } from '../../../../../../../src/api/api-error';
import { jsonBody, learnerRoute } from '../../../../../../../src/api/api-route';
import { auditLog } from '../../../../../../../src/cohorts/audit-log';
import { labCatalog } from '../../../../../../../src/labs/lab-catalog';
import { normaliseGuess, predictionState, savePrediction } from '../../../../../../../src/predictions/prediction-store';
import { progressForLab } from '../../../../../../../src/progress/progress-store';

const bodySchema = z.object({ guess: z.string().max(50) }).strict();

/**
 * Stores the learner's prediction for a step before they look. Changing it is allowed until the step
 * is done; afterwards the answer is known, so a new guess would prove nothing.
 */
export const POST = learnerRoute<{ labId: string; stepId: string }>(async ({ request, params, learnerId, services }) => {
  const found = findStep(labCatalog(), params.labId, params.stepId);
  if ('error' in found) throw new ApiError('not-found', found.error);
  const prediction = found.step.prediction;
  if (!prediction) throw new ApiError('invalid-input', `step "${params.stepId}" asks for no prediction`);
  const { guess } = await jsonBody(request, bodySchema, 'prediction');
  const step = (await progressForLab(services.db, learnerId, params.labId)).find((p) => p.stepId === params.stepId);
  if (step?.completedAt) throw new ApiError('conflict', 'this step is done and its answer shown; predictions are made before looking');
  const stored = normaliseGuess(prediction, guess);
  await savePrediction(services.db, { learnerId, labId: params.labId, stepId: params.stepId, guess: stored });
  await auditLog().write({ kind: 'predicted', actor: learnerId, learnerId, labId: params.labId, stepId: params.stepId, detail: { guess: stored } });
  return { prediction: predictionState(prediction, stored, step?.lastResult) };
});
