import type { StepCheck } from '../../check-api';

/** Checks of lab l04-header-routing, one per step with `check` other than `none` in labs/l04-header-routing/lab.yaml. */
export const checks: StepCheck[] = [];
