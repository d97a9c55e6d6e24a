import { defineCheck } from '../../check-api';
import { reviewsSplitAssertions } from './reviews-split';

/** Step 1: the reviews VS splits its catch-all rule 50/50 between v1 and v3 (relative weights, 1/1 is fine). */
export const split5050 = defineCheck({
  labId: 'l05-canary',
  stepId: 'split-50-50',
  kind: 'state',
  run: (ctx) => reviewsSplitAssertions(ctx, { v1: 0.5, v3: 0.5 }),
});
