import { applyPrewarm } from '../../../../src/cohorts/apply-prewarm';
import { z } from 'zod';
import { jsonBody, learnerRoute } from '../../../../src/api/api-route';
import { auditLog } from '../../../../src/cohorts/audit-log';
import { joinCohort } from '../../../../src/cohorts/cohort-store';

const joinSchema = z.object({
  code: z.string().trim().min(1, 'type the code your instructor gave you').max(20),
  displayName: z.string().trim().min(1, 'tell your instructor who you are').max(60),
});

/** A learner joins a cohort by its code; the instructor then sees their progress. */
export const POST = learnerRoute(async ({ request, learnerId, services }) => {
  const input = await jsonBody(request, joinSchema, 'join');
  const { cohort, member } = await joinCohort(services.db, {
    code: input.code,
    learnerId,
    displayName: input.displayName,
  });
  await auditLog().write({
    kind: 'joined',
    actor: learnerId,
    cohortId: cohort.id,
    detail: { displayName: member.displayName },
  });
  await services.progress.publish({ kind: 'joined', learnerId, cohortId: cohort.id, at: new Date().toISOString() });
  await applyPrewarm(services.db, services.environments, services.config.PORTAL_PREWARM_LEAD_MINUTES);
  return { cohort: { id: cohort.id, name: cohort.name, labIds: cohort.labIds, endsAt: cohort.endsAt }, member };
});
