import type { StepCheck } from '../../check-api';

/** Checks of lab l03-subsets, one per step with `check` other than `none` in labs/l03-subsets/lab.yaml. */
export const checks: StepCheck[] = [];
