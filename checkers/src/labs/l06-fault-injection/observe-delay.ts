import { finding, defineCheck, fail, pass, pollBudgets, type Assertion, type HttpResponse } from '../../check-api';
import { promBaseline, promRoseAssertion } from '../../probes/prom-assertion';
import { faultScopeAssertion, readFaultPlacement, reviewsHopHint } from './fault-placement';

export const reviewsUnavailableText = 'Sorry, product reviews are currently unavailable for this book.';

/**
 * Step 2: as jason the page takes ~6 s (productpage: 3 s timeout + one retry) and shows the reviews error,
 * while anonymous users are fast; the client sidecar of reviews-v2 reports delayed (DI) calls to ratings.
 * The VirtualServices are read too: a delay for everyone, or on the reviews hop, looks right from outside.
 */
export const observeDelay = defineCheck({
  labId: 'l06-fault-injection',
  stepId: 'observe-delay',
  kind: 'telemetry',
  async run(ctx) {
    const out: Assertion[] = [];
    // Read before jason's page loads: only a count they raise shows the delay is in place now.
    const delayed = await promBaseline(
      ctx,
      'sum(istio_requests_total{reporter="source",source_workload="reviews-v2",destination_service_name="ratings",response_flags="DI"})',
    );
    const session = await ctx.probes.login('jason');
    const slowOk = (r: HttpResponse) =>
      r.durationMs >= 5_500 && r.durationMs <= 8_000 && r.body.includes(reviewsUnavailableText);
    const jason = await ctx.poll(() => ctx.probes.ing({ path: '/productpage', session }), {
      until: slowOk,
      ...pollBudgets.propagation,
      passesInARow: 1,
    });
    const r = jason.value;
    const title = 'as jason, /productpage takes about 6 s and shows the reviews error';
    out.push(
      jason.ok
        ? pass('L06.JASON_PAGE_SLOW', title, { actual: `${Math.round(r.durationMs)} ms, reviews error shown` })
        : fail('L06.JASON_PAGE_SLOW', title, {
            expected: `5.5–8 s and "${reviewsUnavailableText}"`,
            actual: `HTTP ${r.status} in ${Math.round(r.durationMs)} ms, ${r.body.includes(reviewsUnavailableText) ? 'reviews error shown' : 'no reviews error'}`,
            hint:
              r.durationMs < 1_500
                ? "The delay does not reach jason's requests: check that the fault is on the ratings VirtualService, on the rule matching end-user jason, with percentage {value: 100}."
                : r.durationMs < 5_500 && !r.body.includes(reviewsUnavailableText)
                  ? "jason's page is slowed, but by less than productpage's 3 s per try, so it just waits and shows the reviews: the bug stays hidden. Use fixedDelay: 7s."
                  : 'The page is slow but not as expected; a delay far above 7 s or extra timeouts change the picture. Use fixedDelay: 7s.',
            next: 'kubectl get virtualservice ratings -n default -o yaml',
          }),
    );
    const anon = await ctx.probes.ing({ path: '/productpage' });
    const anonTitle = 'anonymous users still get a fast, complete page';
    out.push(
      anon.status === 200 && anon.durationMs < 2_000 && !anon.body.includes(reviewsUnavailableText)
        ? pass('L06.ANON_PAGE_FAST', anonTitle, { actual: `${Math.round(anon.durationMs)} ms` })
        : fail('L06.ANON_PAGE_FAST', anonTitle, {
            expected: 'HTTP 200 in < 2 s without the reviews error',
            actual: `HTTP ${anon.status} in ${Math.round(anon.durationMs)} ms${anon.body.includes(reviewsUnavailableText) ? ', reviews error shown' : ''}`,
            hint: 'Everyone is slowed down: the fault must sit only on the rule that matches end-user jason.',
            next: 'kubectl get virtualservice ratings -n default -o yaml',
          }),
    );
    const placement = await readFaultPlacement(ctx, 'delay');
    out.push(faultScopeAssertion(placement, 'delay'));
    const prom = await promRoseAssertion(ctx, delayed, finding('L06.PROM_DELAY_INJECTED'));
    const elsewhere = reviewsHopHint(placement, 'delay');
    out.push(prom.status === 'fail' && elsewhere ? { ...prom, hint: elsewhere } : prom);
    return out;
  },
});
