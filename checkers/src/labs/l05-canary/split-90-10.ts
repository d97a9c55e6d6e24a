import { defineCheck } from '../../check-api';
import { reviewsSplitAssertions } from './reviews-split';

/** Step 1: the reviews VS sends 90 % to v1 and 10 % to v3 (relative weights such as 9/1 are fine). */
export const split9010 = defineCheck({
  labId: 'l05-canary',
  stepId: 'split-90-10',
  kind: 'state',
  run: (ctx) => reviewsSplitAssertions(ctx, { v1: 0.9, v3: 0.1 }),
});
