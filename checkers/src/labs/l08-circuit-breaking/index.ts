import type { StepCheck } from '../../check-api';

/** Checks of lab l08-circuit-breaking, one per step with `check` other than `none` in labs/l08-circuit-breaking/lab.yaml. */
export const checks: StepCheck[] = [];
