import { runStepCheck } from '@istio-workshop/checkers';
import { findStep, type Prediction } from '@istio-workshop/labs';
import { ApiError } from '../../../../../../../src/api/api-error';
import { learnerRoute } from '../../../../../../../src/api/api-route';
import { auditLog } from '../../../../../../../src/cohorts/audit-log';
import { checkRuns, type RecordedCheck } from '../../../../../../../src/checks/check-runs';
import { labCatalog } from '../../../../../../../src/labs/lab-catalog';
import { logger } from '../../../../../../../src/observability/logger';
import { portalMetrics } from '../../../../../../../src/observability/portal-metrics';
import type { PortalServices } from '../../../../../../../src/portal-services';
import { predictionState, predictionsForLab } from '../../../../../../../src/predictions/prediction-store';
import { recordCheck } from '../../../../../../../src/progress/progress-store';

/** Runs one step's check against the learner's environment and records its result. */
async function checkAndRecord(
  services: PortalServices,
  learnerId: string,
  labId: string,
  stepId: string,
  contentVersion: string,
  prediction: Prediction | undefined,
): Promise<RecordedCheck> {
  const environment = await services.environments.forLearner(learnerId);
  const kubeconfigPath = environment?.kubeconfigPath ?? undefined;
  const config = services.config;
  const result = await runStepCheck({
    labId,
    stepId,
    kubeconfig: kubeconfigPath ? { kind: 'file', path: kubeconfigPath } : { kind: 'none' },
    // kind clusters map their ingress gateway to a host port of their own (docs/check-probes.md).
    ingressUrl: environment?.httpPort ? `http://127.0.0.1:${environment.httpPort}` : config.PORTAL_INGRESS_URL,
    timeoutMs: config.PORTAL_CHECK_TIMEOUT_SECONDS * 1000,
  });
  const metrics = portalMetrics();
  metrics.checkRuns.inc({ lab: labId, outcome: result.outcome });
  metrics.checkDuration.observe({ lab: labId }, result.durationMs / 1000);
  logger().info({ learnerId, environmentId: environment?.id, labId, stepId, outcome: result.outcome }, 'step checked');
  const progress = await recordCheck(services.db, { learnerId, environmentId: environment?.id ?? null, contentVersion, result });
  await auditLog().write({ kind: 'checked', actor: learnerId, learnerId, labId, stepId, detail: { outcome: result.outcome, failing: result.assertions.filter((a) => a.status === 'fail').map((a) => a.code) } });
  // Instructors watching a cohort grid see this without reloading; a lost event is not the learner's problem.
  await services.progress
    .publish({ kind: 'checked', learnerId, labId, stepId, at: new Date().toISOString() })
    .catch((error: unknown) => logger().warn({ err: error, learnerId }, 'progress event not published'));
  const guess = prediction ? (await predictionsForLab(services.db, learnerId, labId)).get(stepId) : undefined;
  return { result, progress, ...(prediction && guess !== undefined ? { prediction: predictionState(prediction, guess, result) } : {}) };
}

/**
 * Runs a step's checker on the server against the learner's own environment and records the
 * result. The browser only asks; whether a step is done is decided here. Asking again while the
 * same step's check runs joins that run; a learner has at most PORTAL_CHECKS_PER_LEARNER running.
 */
export const POST = learnerRoute<{ labId: string; stepId: string }>(async ({ params, learnerId, services }) => {
  const found = findStep(labCatalog(), params.labId, params.stepId);
  if ('error' in found) throw new ApiError('not-found', found.error);
  if (found.step.check === 'none') throw new ApiError('invalid-input', `step "${params.stepId}" has no check`);
  const { labId, stepId } = params;
  return checkRuns().run(learnerId, `${labId}/${stepId}`, () =>
    checkAndRecord(services, learnerId, labId, stepId, found.lab.contentVersion, found.step.prediction),
  );
});
