import type { StepCheck } from '../../check-api';

/** Checks of lab l07-timeouts-retries, one per step with `check` other than `none` in labs/l07-timeouts-retries/lab.yaml. */
export const checks: StepCheck[] = [];
