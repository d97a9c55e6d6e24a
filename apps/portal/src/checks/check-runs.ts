import type { PredictionState } from '../predictions/prediction-store';
import type { CheckResult } from '@istio-workshop/checkers/result';
import { portalMetrics } from '../observability/portal-metrics';
import { portalConfig } from '../portal-config';
import type { StepProgress } from '../progress/progress-store';
import { CheckRunLimiter } from './check-run-limiter';

export interface RecordedCheck {
  result: CheckResult;
  progress: StepProgress;
  /** For a step with a prediction the learner made: their guess judged against what this check observed. */
  prediction?: PredictionState;
}

// On globalThis so that dev-mode module reloads keep one view of the checks that are running.
const holder = globalThis as unknown as { __workshopCheckRuns?: CheckRunLimiter<RecordedCheck> };

/** The process-wide limiter of step checks (PORTAL_CHECKS_PER_LEARNER). */
export function checkRuns(): CheckRunLimiter<RecordedCheck> {
  holder.__workshopCheckRuns ??= new CheckRunLimiter<RecordedCheck>(portalConfig().PORTAL_CHECKS_PER_LEARNER, (outcome) =>
    portalMetrics().checkRequests.inc({ outcome }),
  );
  return holder.__workshopCheckRuns;
}
