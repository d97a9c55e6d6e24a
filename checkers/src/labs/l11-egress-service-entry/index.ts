import type { StepCheck } from '../../check-api';

/** Checks of lab l11-egress-service-entry, one per step with `check` other than `none` in labs/l11-egress-service-entry/lab.yaml. */
export const checks: StepCheck[] = [];
