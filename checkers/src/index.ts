/** Public API of the checker runtime (the portal imports these). */
export { runStepCheck, defaultCheckTimeoutMs, type RunStepCheckOptions } from './run-step-check';
export { listChecks, type CheckList, type ListedStep } from './list-checks';
export { checkRegistry, findCheck } from './registry';
export { stepOutline, stepOutlines } from './step-outlines';
export type { KubeconfigSource } from './kube/load-kubeconfig';
export {
  checkResultSchema,
  assertionSchema,
  checkOutcomeSchema,
  checkErrorCodeSchema,
  type CheckResult,
  type Assertion,
  type CheckOutcome,
  type CheckErrorCode,
} from './check-result';
export type { StepCheck, StepCheckKind, CheckContext } from './check-api';
