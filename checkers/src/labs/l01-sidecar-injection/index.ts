import type { StepCheck } from '../../check-api';

/** Checks of lab l01-sidecar-injection, one per step with `check` other than `none` in labs/l01-sidecar-injection/lab.yaml. */
export const checks: StepCheck[] = [];
