import { defineCheck } from '../../check-api';
import { jasonFaultAssertions } from './jason-fault';

/** Step 3: the jason rule of VS ratings aborts with HTTP 500 at 100 % (delay removed). */
export const injectAbort = defineCheck({
  labId: 'l06-fault-injection',
  stepId: 'inject-abort',
  kind: 'state',
  run: (ctx) => jasonFaultAssertions(ctx, 'abort'),
});
