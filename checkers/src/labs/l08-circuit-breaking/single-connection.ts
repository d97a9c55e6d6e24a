import { defineCheck, finding } from '../../check-api';
import { describeFortio, runFortio } from './fortio-load';

/** Step 2: one connection, 20 sequential calls: the breaker never trips, every call is 200. */
export const singleConnection = defineCheck({
  labId: 'l08-circuit-breaking',
  stepId: 'single-connection',
  kind: 'probe',
  async run(ctx) {
    const t = await runFortio(ctx, 1, 20);
    const ok200 = t.codes['200'] ?? 0;
    const allSucceed = finding('L08.SINGLE_CONNECTION_OK');
    if (t.total >= 20 && ok200 === t.total) return [allSucceed.pass({ expected: 'Code 200 × 20', actual: describeFortio(t) })];
    return [
      allSucceed.fail({
        expected: 'Code 200 × 20',
        actual: describeFortio(t),
        ...((t.codes['503'] ?? 0) > 0 ? {} : { hint: 'unreachable' }),
        next: 'kubectl get pods -n intro',
      }),
    ];
  },
});
