import type { StepCheck } from '../../check-api';

/** Checks of lab l05-weighted-routing, one per step with `check` other than `none` in labs/l05-weighted-routing/lab.yaml. */
export const checks: StepCheck[] = [];
