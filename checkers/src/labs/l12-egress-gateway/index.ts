import type { StepCheck } from '../../check-api';

/** Checks of lab l12-egress-gateway, one per step with `check` other than `none` in labs/l12-egress-gateway/lab.yaml. */
export const checks: StepCheck[] = [];
