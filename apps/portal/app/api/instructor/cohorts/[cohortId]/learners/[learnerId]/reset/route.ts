import { ApiError } from '../../../../../../../../src/api/api-error';
import { auditLog } from '../../../../../../../../src/cohorts/audit-log';
import { learnerOfCohort } from '../../../../../../../../src/cohorts/cohort-help';
import { instructorRoute } from '../../../../../../../../src/instructors/instructor-route';

/** Gives a learner of this cohort a fresh environment (their progress is kept); their page is told. */
export const POST = instructorRoute<{ cohortId: string; learnerId: string }>(
  async ({ params, instructor, services }) => {
    await learnerOfCohort(services.db, instructor, params.cohortId, params.learnerId);
    const environment = await services.environments.forLearner(params.learnerId);
    if (!environment)
      throw new ApiError('conflict', 'that learner has no environment yet: it is made when they open a lab');
    const fresh = await services.environments.reset(environment.id);
    await auditLog().write({
      kind: 'reset',
      actor: instructor.id,
      cohortId: params.cohortId,
      learnerId: params.learnerId,
      detail: { from: environment.id, to: fresh.id },
    });
    await services.progress.publish({
      kind: 'reset',
      cohortId: params.cohortId,
      learnerId: params.learnerId,
      at: new Date().toISOString(),
    });
    return { environmentId: fresh.id };
  },
);
