import { defineCheck, finding, pollBudgets, type Assertion } from '../../check-api';
import { promBaseline, promRoseAssertion } from '../../probes/prom-assertion';
import { faultScopeAssertion, readFaultPlacement, promFaultFinding } from './fault-placement';
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
    const ratingsError = finding('L06.JASON_RATINGS_ERROR');
    const cause = jason.value.durationMs > 5_000 ? 'delayLeft' : jason.value.body.includes(reviewsUnavailableText) ? 'onReviews' : undefined;
    out.push(
      jason.ok
        ? ratingsError.pass({ actual: `"${ratingsUnavailableText}" shown` })
        : ratingsError.fail({
            expected: `HTTP 200 with "${ratingsUnavailableText}"`,
            actual: `HTTP ${jason.value.status} in ${Math.round(jason.value.durationMs)} ms without the ratings error`,
            ...(cause ? { hint: cause } : {}),
            next: 'kubectl get virtualservice ratings -n default -o yaml',
          }),
    );
    const anon = await ctx.probes.ing({ path: '/productpage' });
    const noError = finding('L06.ANON_NO_ERROR');
    out.push(
      anon.status === 200 && !anon.body.includes(ratingsUnavailableText)
        ? noError.pass()
        : noError.fail({
            expected: 'HTTP 200 without the ratings error',
            actual: `HTTP ${anon.status}${anon.body.includes(ratingsUnavailableText) ? ' with the ratings error' : ''}`,
            next: 'kubectl get virtualservice ratings -n default -o yaml',
          }),
    );
    const placement = await readFaultPlacement(ctx, 'abort');
    out.push(faultScopeAssertion(placement, 'abort'));
    const telemetry = promFaultFinding(placement, 'abort');
    out.push(await promRoseAssertion(ctx, aborted, telemetry.finding, { hint: telemetry.hint }));
    return out;
  },
});
