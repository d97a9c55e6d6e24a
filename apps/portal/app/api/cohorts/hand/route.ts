import { jsonBody, learnerRoute } from '../../../../src/api/api-route';
import { auditLog } from '../../../../src/cohorts/audit-log';
import { cohortsOfLearner } from '../../../../src/cohorts/cohort-store';
import { lowerHand, raiseHand, raiseHandSchema } from '../../../../src/cohorts/cohort-help';

/** The learner asks their instructor for help on a step. */
export const POST = learnerRoute(async ({ request, learnerId, services }) => {
  const input = await jsonBody(request, raiseHandSchema, 'raise hand');
  const { cohort, id } = await raiseHand(services.db, learnerId, input);
  await auditLog().write({
    kind: 'hand-raised',
    actor: learnerId,
    learnerId,
    cohortId: cohort.id,
    labId: input.labId,
    stepId: input.stepId ?? undefined,
  });
  await services.progress.publish({
    kind: 'hand-raised',
    learnerId,
    cohortId: cohort.id,
    at: new Date().toISOString(),
  });
  return { raised: true, id };
});

/** The learner lowers their own hand (they solved it). */
export const DELETE = learnerRoute(async ({ learnerId, services }) => {
  const [cohort] = await cohortsOfLearner(services.db, learnerId);
  if (cohort && (await lowerHand(services.db, { cohortId: cohort.id, learnerId }))) {
    await auditLog().write({ kind: 'hand-lowered', actor: learnerId, learnerId, cohortId: cohort.id });
    await services.progress.publish({
      kind: 'hand-lowered',
      learnerId,
      cohortId: cohort.id,
      at: new Date().toISOString(),
    });
  }
  return { lowered: true };
});
