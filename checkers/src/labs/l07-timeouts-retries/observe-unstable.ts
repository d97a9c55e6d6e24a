import { defineCheck, fail, pass, type Assertion, serviceFqdn, virtualServicesForHost } from '../../check-api';
import { describeTally, runUnstableLoop, unstableRequests } from './unstable-loop';

/**
 * Step 4: 100 calls to httpbin `/unstable` from the curl pod succeed only 35–65 % of the time: the default
 * retry policy (connect-failure, refused-stream, unavailable, cancelled, retriable-status-codes) does not retry a 500.
 */
export const observeUnstable = defineCheck({
  labId: 'l07-timeouts-retries',
  stepId: 'observe-unstable',
  kind: 'probe',
  async run(ctx) {
    const t = await runUnstableLoop(ctx);
    const share = t.total > 0 ? t.ok / t.total : 0;
    const title = 'about half of the calls to /unstable fail without a retry policy';
    const out: Assertion[] = [];
    // curl prints 000 for a transfer that got no HTTP answer (refused, reset, timed out): not an answer.
    const answered = t.total - (t.codes['000'] ?? 0);
    if (answered < unstableRequests * 0.9) {
      out.push(
        fail('L07.UNSTABLE_ANSWERED', 'the calls to httpbin were answered', {
          expected: `${unstableRequests} HTTP answers`,
          actual: describeTally(t),
          hint: 'The curl pod in namespace intro could not reach httpbin. Is httpbin running (the lab setup deploys it)?',
          next: 'kubectl get pods -n intro',
        }),
      );
      return out;
    }
    if (share >= 0.35 && share <= 0.65) {
      out.push(pass('L07.UNSTABLE_SHARE', title, { expected: '35–65% success', actual: describeTally(t) }));
      return out;
    }
    const httpbinVs = virtualServicesForHost(await ctx.cluster.virtualServices(), {
      host: serviceFqdn('httpbin', 'intro'),
      clientNamespace: 'intro',
    }).applies;
    const withRetries = httpbinVs.some((v) => (v.spec.http ?? []).some((r) => r.retries !== undefined));
    out.push(
      fail('L07.UNSTABLE_SHARE', title, {
        expected: '35–65% success',
        actual: describeTally(t),
        hint:
          share > 0.65 && withRetries
            ? 'A retry policy on httpbin already hides the failures; this step observes the default behaviour. Remove `retries` for now (you add it in the next step).'
            : share > 0.65
              ? 'Fewer failures than expected; run the check again (the share is random) or look at what answers /unstable.'
              : 'More failures than /unstable produces by itself: is a fault or an AuthorizationPolicy in the way?',
        next: 'kubectl get virtualservice -n intro -o yaml',
      }),
    );
    return out;
  },
});
