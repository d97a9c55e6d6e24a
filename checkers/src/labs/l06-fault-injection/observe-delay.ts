import { defineCheck, finding, pollBudgets, type Assertion, type HttpResponse } from '../../check-api';
import { promBaseline, promRoseAssertion } from '../../probes/prom-assertion';
import { faultScopeAssertion, readFaultPlacement, promFaultFinding } from './fault-placement';

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
    const slow = finding('L06.JASON_PAGE_SLOW');
    const cause = r.durationMs < 1_500 ? 'notReached' : r.durationMs < 5_500 && !r.body.includes(reviewsUnavailableText) ? 'tooShort' : undefined;
    out.push(
      jason.ok
        ? slow.pass({ actual: `${Math.round(r.durationMs)} ms, reviews error shown` })
        : slow.fail({
            expected: `5.5–8 s and "${reviewsUnavailableText}"`,
            actual: `HTTP ${r.status} in ${Math.round(r.durationMs)} ms, ${r.body.includes(reviewsUnavailableText) ? 'reviews error shown' : 'no reviews error'}`,
            ...(cause ? { hint: cause } : {}),
            next: 'kubectl get virtualservice ratings -n default -o yaml',
          }),
    );
    const anon = await ctx.probes.ing({ path: '/productpage' });
    const fast = finding('L06.ANON_PAGE_FAST');
    out.push(
      anon.status === 200 && anon.durationMs < 2_000 && !anon.body.includes(reviewsUnavailableText)
        ? fast.pass({ actual: `${Math.round(anon.durationMs)} ms` })
        : fast.fail({
            expected: 'HTTP 200 in < 2 s without the reviews error',
            actual: `HTTP ${anon.status} in ${Math.round(anon.durationMs)} ms${anon.body.includes(reviewsUnavailableText) ? ', reviews error shown' : ''}`,
            next: 'kubectl get virtualservice ratings -n default -o yaml',
          }),
    );
    const placement = await readFaultPlacement(ctx, 'delay');
    out.push(faultScopeAssertion(placement, 'delay'));
    const telemetry = promFaultFinding(placement, 'delay');
    out.push(await promRoseAssertion(ctx, delayed, telemetry.finding, { hint: telemetry.hint }));
    return out;
  },
});
