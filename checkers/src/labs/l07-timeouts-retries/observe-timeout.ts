import { finding, defineCheck, pollBudgets, type Assertion } from '../../check-api';
import { promBaseline, promRoseAssertion } from '../../probes/prom-assertion';

const reviewsUnavailableText = 'Sorry, product reviews are currently unavailable';

/**
 * Step 3: /productpage comes back in ~1 s (0.5 s timeout, productpage retries once) with the reviews
 * error; productpage's sidecar reports 504 UT (upstream timeout) on calls to reviews.
 */
export const observeTimeout = defineCheck({
  labId: 'l07-timeouts-retries',
  stepId: 'observe-timeout',
  kind: 'telemetry',
  async run(ctx) {
    const out: Assertion[] = [];
    // Read before the page loads below: only a count they raise shows the timeout fires now.
    const timedOut = await promBaseline(
      ctx,
      'sum(istio_requests_total{reporter="source",source_workload="productpage-v1",destination_service_name="reviews",response_code="504",response_flags="UT"})',
    );
    const res = await ctx.poll(() => ctx.probes.ing({ path: '/productpage' }), {
      until: (r) => r.durationMs >= 800 && r.durationMs <= 2_500 && r.body.includes(reviewsUnavailableText),
      ...pollBudgets.propagation,
      passesInARow: 1,
    });
    const r = res.value;
    const pageTimesOut = finding('L07.PAGE_TIMES_OUT');
    const errorShown = r.body.includes(reviewsUnavailableText);
    out.push(
      res.ok
        ? pageTimesOut.pass({ actual: `${Math.round(r.durationMs)} ms, reviews error shown` })
        : pageTimesOut.fail({
            expected: `0.8–2.5 s and "${reviewsUnavailableText}"`,
            actual: `HTTP ${r.status} in ${Math.round(r.durationMs)} ms, ${errorShown ? 'reviews error shown' : 'reviews shown'}`,
            hint: errorShown ? 'timingOff' : r.durationMs >= 1_800 ? 'noTimeout' : 'answeredInTime',
            next: 'kubectl get virtualservice -n default reviews ratings -o yaml',
          }),
    );
    out.push(
      await promRoseAssertion(ctx, timedOut, finding('L07.PROM_UPSTREAM_TIMEOUT')),
    );
    return out;
  },
});
