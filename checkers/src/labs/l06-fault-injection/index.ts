import type { StepCheck } from '../../check-api';

/** Checks of lab l06-fault-injection, one per step with `check` other than `none` in labs/l06-fault-injection/lab.yaml. */
export const checks: StepCheck[] = [];
