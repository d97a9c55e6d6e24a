import { finding, defineCheck, fail, pass, pollBudgets, type Assertion } from '../../check-api';
import { promBaseline, promRoseAssertion } from '../../probes/prom-assertion';
import { faultScopeAssertion, readFaultPlacement, reviewsHopHint } from './fault-placement';
import { reviewsUnavailableText } from './observe-delay';

export const ratingsUnavailableText = 'Ratings service is currently unavailable';

/**
 * Step 4: as jason the page shows the ratings error, anonymous users do not; the *client* sidecar
 * (reviews-v2) reports 500s with flag FI, since the aborted request never reaches ratings.
 * The VirtualServices are read too: an abort for everyone, or on the reviews hop, looks right from outside.
 */
export const observeAbort = defineCheck({
  labId: 'l06-fault-injection',
  stepId: 'observe-abort',
  kind: 'telemetry',
  async run(ctx) {
    const out: Assertion[] = [];
    // Read before jason's page loads: only a count they raise shows the abort is in place now.
    const aborted = await promBaseline(
      ctx,
      'sum(istio_requests_total{reporter="source",destination_service_name="ratings",response_code="500",response_flags="FI"})',
    );
    const session = await ctx.probes.login('jason');
    const jason = await ctx.poll(() => ctx.probes.ing({ path: '/productpage', session }), {
      until: (r) => r.status === 200 && r.body.includes(ratingsUnavailableText),
      ...pollBudgets.propagation,
      passesInARow: 1,
    });
    const title = 'as jason, /productpage shows the ratings error';
    out.push(
      jason.ok
        ? pass('L06.JASON_RATINGS_ERROR', title, { actual: `"${ratingsUnavailableText}" shown` })
        : fail('L06.JASON_RATINGS_ERROR', title, {
            expected: `HTTP 200 with "${ratingsUnavailableText}"`,
            actual: `HTTP ${jason.value.status} in ${Math.round(jason.value.durationMs)} ms without the ratings error`,
            hint:
              jason.value.durationMs > 5_000
                ? 'The page is still slow: the old delay is still in place. Replace `delay` with `abort` on the jason rule.'
                : jason.value.body.includes(reviewsUnavailableText)
                  ? "jason loses the whole reviews block, not just the ratings: the abort hits productpage's call to reviews. The fault belongs on the ratings VirtualService (reviews v2 calls ratings); remove it from reviews."
                  : 'jason still sees ratings: check that the abort sits on the ratings VirtualService rule matching end-user jason, with percentage {value: 100}.',
            next: 'kubectl get virtualservice ratings -n default -o yaml',
          }),
    );
    const anon = await ctx.probes.ing({ path: '/productpage' });
    const anonTitle = 'anonymous users do not see the ratings error';
    out.push(
      anon.status === 200 && !anon.body.includes(ratingsUnavailableText)
        ? pass('L06.ANON_NO_ERROR', anonTitle)
        : fail('L06.ANON_NO_ERROR', anonTitle, {
            expected: 'HTTP 200 without the ratings error',
            actual: `HTTP ${anon.status}${anon.body.includes(ratingsUnavailableText) ? ' with the ratings error' : ''}`,
            hint: 'Everyone gets the abort: it must sit only on the rule that matches end-user jason.',
            next: 'kubectl get virtualservice ratings -n default -o yaml',
          }),
    );
    const placement = await readFaultPlacement(ctx, 'abort');
    out.push(faultScopeAssertion(placement, 'abort'));
    const prom = await promRoseAssertion(ctx, aborted, finding('L06.PROM_ABORT_INJECTED'));
    const elsewhere = reviewsHopHint(placement, 'abort');
    out.push(prom.status === 'fail' && elsewhere ? { ...prom, hint: elsewhere } : prom);
    return out;
  },
});
