import type { StepCheck } from '../../check-api';

/** Checks of lab l11-egress-serviceentry, one per step with `check` other than `none` in labs/l11-egress-serviceentry/lab.yaml. */
export const checks: StepCheck[] = [];
