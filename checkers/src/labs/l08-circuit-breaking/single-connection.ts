import { defineCheck, fail, pass } from '../../check-api';
import { describeFortio, runFortio } from './fortio-load';

/** Step 2: one connection, 20 sequential calls: the breaker never trips, every call is 200. */
export const singleConnection = defineCheck({
  labId: 'l08-circuit-breaking',
  stepId: 'single-connection',
  kind: 'probe',
  async run(ctx) {
    const t = await runFortio(ctx, 1, 20);
    const ok200 = t.codes['200'] ?? 0;
    const title = 'with one connection all 20 calls succeed';
    if (t.total >= 20 && ok200 === t.total) return [pass('L08.SINGLE_CONNECTION_OK', title, { expected: 'Code 200 × 20', actual: describeFortio(t) })];
    return [
      fail('L08.SINGLE_CONNECTION_OK', title, {
        expected: 'Code 200 × 20',
        actual: describeFortio(t),
        hint:
          (t.codes['503'] ?? 0) > 0
            ? 'One connection at a time should never overflow the pool. 503s here usually mean httpbin is ejected by outlier detection (for 3 minutes after a 5xx); wait and retry, or check that maxConnections is not 0.'
            : 'fortio could not reach httpbin: are the fortio and httpbin pods running in namespace intro?',
        next: 'kubectl get pods -n intro',
      }),
    ];
  },
});
