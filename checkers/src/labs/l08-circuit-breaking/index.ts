import type { StepCheck } from '../../check-api';
import { configureBreaker } from './configure-breaker';
import { outlierEjection } from './outlier-ejection';
import { singleConnection } from './single-connection';
import { tripBreaker } from './trip-breaker';

/** Checks of lab l08-circuit-breaking, one per step with `check` other than `none` in labs/l08-circuit-breaking/lab.yaml. */
export const checks: StepCheck[] = [configureBreaker, singleConnection, tripBreaker, outlierEjection];
