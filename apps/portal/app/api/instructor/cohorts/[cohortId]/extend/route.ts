import { applyPrewarm } from '../../../../../../src/cohorts/apply-prewarm';
import { z } from 'zod';
import { jsonBody } from '../../../../../../src/api/api-route';
import { auditLog } from '../../../../../../src/cohorts/audit-log';
import { extendCohort } from '../../../../../../src/cohorts/cohort-store';
import { instructorRoute } from '../../../../../../src/instructors/instructor-route';

const extendSchema = z.object({
  minutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60),
});

export const POST = instructorRoute<{ cohortId: string }>(async ({ request, params, instructor, services }) => {
  const { minutes } = await jsonBody(request, extendSchema, 'extend cohort');
  const cohort = await extendCohort(services.db, instructor, params.cohortId, minutes);
  await auditLog().write({
    kind: 'cohort-extended',
    actor: instructor.id,
    cohortId: cohort.id,
    detail: { minutes, endsAt: cohort.endsAt },
  });
  await services.progress.publish({ kind: 'cohort-changed', cohortId: cohort.id, at: new Date().toISOString() });
  await applyPrewarm(services.db, services.environments, services.config.PORTAL_PREWARM_LEAD_MINUTES);
  return { cohort };
});
