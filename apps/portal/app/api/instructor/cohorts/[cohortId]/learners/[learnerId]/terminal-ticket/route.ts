import { terminalTargetFor } from '@istio-workshop/clusters';
import { mintTerminalToken } from '@istio-workshop/terminal-gateway/token';
import { ApiError } from '../../../../../../../../src/api/api-error';
import { auditLog } from '../../../../../../../../src/cohorts/audit-log';
import { learnerOfCohort } from '../../../../../../../../src/cohorts/cohort-help';
import { instructorRoute } from '../../../../../../../../src/instructors/instructor-route';

/**
 * A read-only (observer) ticket for a cohort learner's terminal: the gateway sends the instructor
 * the learner's screen, drops every keystroke the instructor types, and tells the learner they
 * are being watched.
 */
export const POST = instructorRoute<{ cohortId: string; learnerId: string }>(
  async ({ params, instructor, services }) => {
    await learnerOfCohort(services.db, instructor, params.cohortId, params.learnerId);
    const environment = await services.environments.forLearner(params.learnerId);
    if (!environment || environment.status !== 'assigned')
      throw new ApiError('conflict', 'that learner has no running terminal: it starts when they open a lab');
    const config = services.config;
    const token = mintTerminalToken(
      config.WORKSHOP_TOKEN_SECRET,
      { v: 1, sub: instructor.id, env: environment.id, role: 'observer', target: terminalTargetFor(environment, { ingressUrl: config.PORTAL_INGRESS_URL }) },
      config.PORTAL_TERMINAL_TOKEN_TTL_SECONDS,
    );
    await auditLog().write({
      kind: 'watch',
      actor: instructor.id,
      cohortId: params.cohortId,
      learnerId: params.learnerId,
    });
    return {
      url: `${config.PORTAL_GATEWAY_URL.replace(/\/$/, '')}/terminals/${environment.id}`,
      token,
      environmentId: environment.id,
    };
  },
);
