import { learnerRoute } from '../../../../../src/api/api-route';
import { auditLog } from '../../../../../src/cohorts/audit-log';
import { environmentView } from '../../../../../src/environments/environment-view';

/** The learner's "more time": up to one TTL from now, never past the environment's hard limit. */
export const POST = learnerRoute<{ environmentId: string }>(async ({ params, learnerId, services }) => {
  const extended = await services.environments.extend(params.environmentId, learnerId);
  await auditLog().write({ kind: 'environment-extended', actor: learnerId, learnerId, detail: { environmentId: extended.id, expiresAt: extended.expiresAt } });
  return { environment: environmentView(extended, services.clusters) };
});
