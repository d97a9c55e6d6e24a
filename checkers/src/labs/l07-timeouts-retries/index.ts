import type { StepCheck } from '../../check-api';
import { addRetries } from './add-retries';
import { delayRatings } from './delay-ratings';
import { observeTimeout } from './observe-timeout';
import { observeUnstable } from './observe-unstable';
import { timeoutReviews } from './timeout-reviews';

/** Checks of lab l07-timeouts-retries, one per step with `check` other than `none` in labs/l07-timeouts-retries/lab.yaml. */
export const checks: StepCheck[] = [delayRatings, timeoutReviews, observeTimeout, observeUnstable, addRetries];
