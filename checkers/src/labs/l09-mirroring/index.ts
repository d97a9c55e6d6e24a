import type { StepCheck } from '../../check-api';

/** Checks of lab l09-mirroring, one per step with `check` other than `none` in labs/l09-mirroring/lab.yaml. */
export const checks: StepCheck[] = [];
