import { defineCheck, mixAfterPropagation, mixShareFindings } from '../../check-api';
import { reviewsSplitAssertions } from './reviews-split';

/**
 * Step 3: promote the canary. State: only v3 keeps a weight above 0 (v1 at weight 0 is fine);
 * probe: 50 requests all show red stars from v3.
 */
export const promoteV3 = defineCheck({
  labId: 'l05-canary',
  stepId: 'promote-v3',
  kind: 'probe',
  async run(ctx) {
    const state = await reviewsSplitAssertions(ctx, { v3: 1 });
    if (state.some((a) => a.status === 'fail')) return state;
    const { final } = await mixAfterPropagation(ctx, {
      finalN: 50,
      looksPropagated: (m) => m.counts.v3 === m.sent,
    });
    return [
      ...state,
      ...mixShareFindings(final, { v1: 0, v2: 0, v3: 1 }, { next: 'istioctl proxy-status', hint: 'promote' }),
    ];
  },
});
