import { defineCheck, mixAfterPropagation, mixShareFindings } from '../../check-api';
import { reviewsSplitAssertions } from './reviews-split';

/**
 * Step 2: 200 requests through the ingress land on v1 and v3 about half each (±3σ = ±10.6 points),
 * never on v2. The VS is read first: when it is not 50/50 yet, the learner gets that hint and no traffic is sent.
 */
export const observeSplit = defineCheck({
  labId: 'l05-canary',
  stepId: 'observe-split',
  kind: 'probe',
  async run(ctx) {
    const state = await reviewsSplitAssertions(ctx, { v1: 0.5, v3: 0.5 });
    if (state.some((a) => a.status === 'fail')) return state;
    const { final } = await mixAfterPropagation(ctx, {
      finalN: 200,
      looksPropagated: (m) => m.counts.v2 === 0 && m.counts.v1 > 0 && m.counts.v3 > 0,
    });
    return [...state, ...mixShareFindings(final, { v1: 0.5, v2: 0, v3: 0.5 }, { next: 'istioctl proxy-status' })];
  },
});
