import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { findStep } from '@istio-workshop/labs';
import { z } from 'zod';
import { ApiError } from '../../../../../../../src/api/api-error';
import { jsonBody, learnerRoute } from '../../../../../../../src/api/api-route';
import { labCatalog } from '../../../../../../../src/labs/lab-catalog';
import { recordReveal } from '../../../../../../../src/progress/progress-store';

const bodySchema = z.object({ what: z.enum(['hint', 'solution']) }).strict();

/** Records that a hint or the solution was opened; returns the solution script when asked for it. */
export const POST = learnerRoute<{ labId: string; stepId: string }>(async ({ request, params, learnerId, services }) => {
  const found = findStep(labCatalog(), params.labId, params.stepId);
  if ('error' in found) throw new ApiError('not-found', found.error);
  const { what } = await jsonBody(request, bodySchema, 'reveal');
  await recordReveal(services.db, { learnerId, labId: params.labId, stepId: params.stepId, what });
  if (what === 'hint') return { recorded: true };
  if (!found.step.solution) return { recorded: true };
  const solution = await readFile(path.join(found.lab.dir, found.step.solution), 'utf8');
  return { recorded: true, solution };
});
