import type { StepCheck } from '../../check-api';

/** Checks of lab l02-ingress-gateway, one per step with `check` other than `none` in labs/l02-ingress-gateway/lab.yaml. */
export const checks: StepCheck[] = [];
