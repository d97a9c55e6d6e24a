import type { StepCheck } from '../../check-api';

/** Checks of lab l05-canary, one per step with `check` other than `none` in labs/l05-canary/lab.yaml. */
export const checks: StepCheck[] = [];
