import type { StepCheck } from '../../check-api';
import { lbAlgorithm } from './lb-algorithm';
import { removeReviewsRoute } from './remove-reviews-route';
import { stickySessions } from './sticky-sessions';

/** Checks of lab l10-load-balancing, one per step with `check` other than `none` in labs/l10-load-balancing/lab.yaml. */
export const checks: StepCheck[] = [removeReviewsRoute, lbAlgorithm, stickySessions];
