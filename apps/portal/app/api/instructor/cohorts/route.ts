import { applyPrewarm } from '../../../../src/cohorts/apply-prewarm';
import { jsonBody } from '../../../../src/api/api-route';
import { ApiError } from '../../../../src/api/api-error';
import { auditLog } from '../../../../src/cohorts/audit-log';
import { createCohort, listCohorts, newCohortSchema } from '../../../../src/cohorts/cohort-store';
import { instructorRoute } from '../../../../src/instructors/instructor-route';
import { labCatalog } from '../../../../src/labs/lab-catalog';

export const GET = instructorRoute(async ({ instructor, services }) => ({
  cohorts: await listCohorts(services.db, instructor),
}));

/** Creates a cohort for the signed-in instructor; answers it with its join code. */
export const POST = instructorRoute(async ({ request, instructor, services }) => {
  const input = await jsonBody(request, newCohortSchema, 'new cohort');
  const known = new Set(labCatalog().labs.map((l) => l.id));
  const unknown = input.labIds.filter((id) => !known.has(id));
  if (unknown.length) throw new ApiError('invalid-input', `new cohort: labIds: no lab ${unknown.join(', ')}`);
  const cohort = await createCohort(services.db, instructor, input);
  await auditLog().write({
    kind: 'cohort-created',
    actor: instructor.id,
    cohortId: cohort.id,
    detail: { name: cohort.name, labIds: cohort.labIds },
  });
  await applyPrewarm(services.db, services.environments, services.config.PORTAL_PREWARM_LEAD_MINUTES);
  return { cohort };
});
