import { z } from 'zod';
import { ApiError } from '../../../../../../../../src/api/api-error';
import { jsonBody } from '../../../../../../../../src/api/api-route';
import { auditLog } from '../../../../../../../../src/cohorts/audit-log';
import { learnerOfCohort } from '../../../../../../../../src/cohorts/cohort-help';
import { fastForward } from '../../../../../../../../src/cohorts/fast-forward';
import { instructorRoute } from '../../../../../../../../src/instructors/instructor-route';
import { labCatalog } from '../../../../../../../../src/labs/lab-catalog';

const bodySchema = z.object({ labId: z.string().min(1), stepId: z.string().min(1) }).strict();

/**
 * Puts a cohort learner's cluster at the start of a step (the lab's cleanup and setup, then the
 * earlier steps' solutions). Answers when the scripts finished, with what each printed last.
 */
export const POST = instructorRoute<{ cohortId: string; learnerId: string }>(
  async ({ request, params, instructor, services }) => {
    const { labId, stepId } = await jsonBody(request, bodySchema, 'fast-forward');
    const cohort = await learnerOfCohort(services.db, instructor, params.cohortId, params.learnerId);
    if (!cohort.labIds.includes(labId))
      throw new ApiError('invalid-input', `fast-forward: lab ${labId} is not one of this cohort's labs`);
    const lab = labCatalog().labs.find((l) => l.id === labId);
    if (!lab) throw new ApiError('not-found', `fast-forward: no lab ${labId}`);
    if (!lab.steps.some((s) => s.id === stepId))
      throw new ApiError('invalid-input', `fast-forward: lab ${labId} has no step "${stepId}"`);
    const environment = await services.environments.forLearner(params.learnerId);
    if (!environment || environment.status !== 'assigned' || !environment.kubeconfigPath)
      throw new ApiError(
        'conflict',
        'that learner has no cluster to fast-forward (no environment yet, or a shell without a cluster)',
      );
    const result = await fastForward({ lab, stepId, kubeconfig: environment.kubeconfigPath });
    await auditLog().write({
      kind: 'fast-forward',
      actor: instructor.id,
      cohortId: cohort.id,
      learnerId: params.learnerId,
      labId,
      stepId,
      detail: { ok: result.ok, replayed: result.replayed, failed: result.ok ? undefined : result.ran.at(-1)?.script },
    });
    await services.progress.publish({
      kind: 'reset',
      cohortId: cohort.id,
      learnerId: params.learnerId,
      labId,
      stepId,
      at: new Date().toISOString(),
    });
    return result;
  },
);
