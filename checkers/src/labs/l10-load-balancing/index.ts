import type { StepCheck } from '../../check-api';

/** Checks of lab l10-load-balancing, one per step with `check` other than `none` in labs/l10-load-balancing/lab.yaml. */
export const checks: StepCheck[] = [];
