import { defineCheck } from '../../check-api';
import { jasonFaultAssertions } from './jason-fault';

/** Step 1: VS ratings delays jason's requests by ≥ 7 s at 100 %; others route to v1 undisturbed. */
export const injectDelay = defineCheck({
  labId: 'l06-fault-injection',
  stepId: 'inject-delay',
  kind: 'state',
  run: (ctx) => jasonFaultAssertions(ctx, 'delay'),
});
