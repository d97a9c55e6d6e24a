import type { StepCheck } from '../../check-api';
import { customTag } from './custom-tag';
import { generateTraffic } from './generate-traffic';
import { reviewsShare } from './reviews-share';

export const checks: StepCheck[] = [generateTraffic, reviewsShare, customTag];
