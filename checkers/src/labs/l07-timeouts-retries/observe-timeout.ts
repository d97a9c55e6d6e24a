import { finding, defineCheck, fail, pass, pollBudgets, type Assertion } from '../../check-api';
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
    const title = '/productpage answers in about 1 s with the reviews error';
    out.push(
      res.ok
        ? pass('L07.PAGE_TIMES_OUT', title, { actual: `${Math.round(r.durationMs)} ms, reviews error shown` })
        : fail('L07.PAGE_TIMES_OUT', title, {
            expected: `0.8–2.5 s and "${reviewsUnavailableText}"`,
            actual: `HTTP ${r.status} in ${Math.round(r.durationMs)} ms, ${r.body.includes(reviewsUnavailableText) ? 'reviews error shown' : 'reviews shown'}`,
            hint: r.body.includes(reviewsUnavailableText)
              ? 'The error shows but the timing is off: with timeout 0.5s and one productpage retry the page takes about 1 s.'
              : r.durationMs >= 1_800
                ? "The page waits for the 2 s ratings delay: no timeout shorter than that fires on productpage's call to reviews. Put `timeout: 0.5s` on the reviews route (not on ratings, and well under the 2 s delay)."
                : 'reviews answered in time: is the 2 s ratings delay still in place and reviews routed to v2 (v1 never calls ratings)?',
            next: 'kubectl get virtualservice -n default reviews ratings -o yaml',
          }),
    );
    out.push(
      await promRoseAssertion(ctx, timedOut, finding('L07.PROM_UPSTREAM_TIMEOUT')),
    );
    return out;
  },
});
