import { ApiError } from '../../../../../../../../src/api/api-error';
import { auditLog } from '../../../../../../../../src/cohorts/audit-log';
import { lowerHand } from '../../../../../../../../src/cohorts/cohort-help';
import { cohortForInstructor } from '../../../../../../../../src/cohorts/cohort-store';
import { instructorRoute } from '../../../../../../../../src/instructors/instructor-route';

export const POST = instructorRoute<{ cohortId: string; handId: string }>(async ({ params, instructor, services }) => {
  await cohortForInstructor(services.db, instructor, params.cohortId);
  const handId = Number(params.handId);
  if (!Number.isInteger(handId)) throw new ApiError('invalid-input', `hand id "${params.handId}" is not a number`);
  const learnerId = await lowerHand(services.db, { cohortId: params.cohortId, handId });
  if (!learnerId) throw new ApiError('not-found', 'that hand is already down');
  await auditLog().write({ kind: 'hand-lowered', actor: instructor.id, cohortId: params.cohortId, learnerId });
  await services.progress.publish({
    kind: 'hand-lowered',
    cohortId: params.cohortId,
    learnerId,
    at: new Date().toISOString(),
  });
  return { lowered: true };
});
