import { runStepCheck } from '@istio-workshop/checkers';
import { findStep } from '@istio-workshop/labs';
import { ApiError } from '../../../../../../../src/api/api-error';
import { learnerRoute } from '../../../../../../../src/api/api-route';
import { labCatalog } from '../../../../../../../src/labs/lab-catalog';
import { logger } from '../../../../../../../src/observability/logger';
import { portalMetrics } from '../../../../../../../src/observability/portal-metrics';
import { recordCheck } from '../../../../../../../src/progress/progress-store';

/**
 * Runs a step's checker on the server against the learner's own environment and records the
 * result. The browser only asks; whether a step is done is decided here.
 */
export const POST = learnerRoute<{ labId: string; stepId: string }>(async ({ params, learnerId, services }) => {
  const found = findStep(labCatalog(), params.labId, params.stepId);
  if ('error' in found) throw new ApiError('not-found', found.error);
  if (found.step.check === 'none') throw new ApiError('invalid-input', `step "${params.stepId}" has no check`);
  const environment = await services.environments.forLearner(learnerId);
  const kubeconfigPath = environment?.kubeconfigPath ?? undefined;
  const config = services.config;
  const result = await runStepCheck({
    labId: params.labId,
    stepId: params.stepId,
    kubeconfig: kubeconfigPath ? { kind: 'file', path: kubeconfigPath } : { kind: 'none' },
    // kind clusters map their ingress gateway to a host port of their own (CURRICULUM 1.5 A).
    ingressUrl: environment?.httpPort ? `http://127.0.0.1:${environment.httpPort}` : config.PORTAL_INGRESS_URL,
    timeoutMs: config.PORTAL_CHECK_TIMEOUT_SECONDS * 1000,
  });
  const metrics = portalMetrics();
  metrics.checkRuns.inc({ lab: params.labId, outcome: result.outcome });
  metrics.checkDuration.observe({ lab: params.labId }, result.durationMs / 1000);
  logger().info(
    { learnerId, environmentId: environment?.id, labId: params.labId, stepId: params.stepId, outcome: result.outcome },
    'step checked',
  );
  const progress = await recordCheck(services.db, {
    learnerId,
    environmentId: environment?.id ?? null,
    contentVersion: found.lab.contentVersion,
    result,
  });
  return { result, progress };
});
