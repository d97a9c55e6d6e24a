import { jsonBody } from '../../../../../../src/api/api-route';
import { auditLog } from '../../../../../../src/cohorts/audit-log';
import { broadcastSchema, recordBroadcast } from '../../../../../../src/cohorts/cohort-help';
import { instructorRoute } from '../../../../../../src/instructors/instructor-route';

/** A message shown at the top of every cohort learner's page, now and when they next open one. */
export const POST = instructorRoute<{ cohortId: string }>(async ({ request, params, instructor, services }) => {
  const { message } = await jsonBody(request, broadcastSchema, 'broadcast');
  await recordBroadcast(services.db, instructor, params.cohortId, message);
  await auditLog().write({ kind: 'broadcast', actor: instructor.id, cohortId: params.cohortId, detail: { message } });
  await services.progress.publish({
    kind: 'broadcast',
    cohortId: params.cohortId,
    message,
    at: new Date().toISOString(),
  });
  return { sent: true };
});
