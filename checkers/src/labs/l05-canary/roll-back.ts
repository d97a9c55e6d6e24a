import { defineCheck } from '../../check-api';
import { reviewsSplitAssertions } from './reviews-split';

/**
 * Step 5: everything back on v1. Judged on the goal, so one route to v1 and a weighted pair with v3
 * at 0 both pass (the weight rule understands zero-weight routes).
 */
export const rollBack = defineCheck({
  labId: 'l05-canary',
  stepId: 'roll-back',
  kind: 'state',
  run: (ctx) => reviewsSplitAssertions(ctx, { v1: 1 }),
});
