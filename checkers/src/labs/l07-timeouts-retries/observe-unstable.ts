import { defineCheck, finding, type Assertion, serviceFqdn, virtualServicesForHost } from '../../check-api';
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
    const unstableShare = finding('L07.UNSTABLE_SHARE');
    const out: Assertion[] = [];
    // curl prints 000 for a transfer that got no HTTP answer (refused, reset, timed out): not an answer.
    const answered = t.total - (t.codes['000'] ?? 0);
    if (answered < unstableRequests * 0.9) {
      out.push(
        finding('L07.UNSTABLE_ANSWERED').fail({
          expected: `${unstableRequests} HTTP answers`,
          actual: describeTally(t),
          next: 'kubectl get pods -n intro',
        }),
      );
      return out;
    }
    if (share >= 0.35 && share <= 0.65) {
      out.push(unstableShare.pass({ expected: '35–65% success', actual: describeTally(t) }));
      return out;
    }
    const httpbinVs = virtualServicesForHost(await ctx.cluster.virtualServices(), {
      host: serviceFqdn('httpbin', 'intro'),
      clientNamespace: 'intro',
    }).applies;
    const withRetries = httpbinVs.some((v) => (v.spec.http ?? []).some((r) => r.retries !== undefined));
    out.push(
      unstableShare.fail({
        expected: '35–65% success',
        actual: describeTally(t),
        hint: share > 0.65 ? (withRetries ? 'retriesHideFailures' : 'fewerFailures') : 'moreFailures',
        next: 'kubectl get virtualservice -n intro -o yaml',
      }),
    );
    return out;
  },
});
