import { applyPrewarm } from '../../../../../../src/cohorts/apply-prewarm';
import { auditLog } from '../../../../../../src/cohorts/audit-log';
import { endCohort } from '../../../../../../src/cohorts/cohort-store';
import { instructorRoute } from '../../../../../../src/instructors/instructor-route';

export const POST = instructorRoute<{ cohortId: string }>(async ({ params, instructor, services }) => {
  const cohort = await endCohort(services.db, instructor, params.cohortId);
  await auditLog().write({ kind: 'cohort-ended', actor: instructor.id, cohortId: cohort.id });
  await services.progress.publish({ kind: 'cohort-changed', cohortId: cohort.id, at: new Date().toISOString() });
  await applyPrewarm(services.db, services.environments, services.config.PORTAL_PREWARM_LEAD_MINUTES);
  return { cohort };
});
