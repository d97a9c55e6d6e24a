import {
  defineCheck,
  finding,
  type Assertion,
  catchAllIndex,
  catchAllShareFindings,
  faultPercent,
  kindRef,
  readRoutedService,
  type VirtualService,
} from '../../check-api';
import { parseIstioDuration } from '../../istio/istio-duration';

const vsRef = (vs: VirtualService) => kindRef('VirtualService', vs);

/**
 * Step 1: reviews → v2 (which calls ratings) and a 2 s delay on ratings for everyone (catch-all rule, 100 %).
 * The delay must exceed the 0.5 s timeout added next and stay under productpage's own 3 s timeout.
 */
export const delayRatings = defineCheck({
  labId: 'l07-timeouts-retries',
  stepId: 'delay-ratings',
  kind: 'state',
  async run(ctx) {
    const out: Assertion[] = [];
    const reviews = await readRoutedService(ctx, {
      code: 'L07.VS',
      service: 'reviews',
      namespace: 'default',
      missingHint: 'reviewsV2',
    });
    out.push(...reviews.assertions);
    if (reviews.vs) {
      out.push(
        ...catchAllShareFindings({
          vs: reviews.vs,
          host: reviews.host,
          target: { v2: 1 },
          dr: reviews.dr,
          pods: reviews.pods,
          serviceSelector: reviews.serviceSelector,
        }),
      );
    }
    const ratings = await readRoutedService(ctx, {
      code: 'L07.VS',
      service: 'ratings',
      namespace: 'default',
      missingHint: 'ratingsDelay',
    });
    out.push(...ratings.assertions);
    const vs = ratings.vs;
    if (!vs) return out;
    const http = vs.spec.http ?? [];
    const ci = catchAllIndex(http);
    const next = `kubectl get virtualservice -n ${vs.metadata.namespace} ${vs.metadata.name} -o yaml`;
    const delay = ci >= 0 ? (http[ci]!.fault?.delay as Record<string, unknown> | undefined) : undefined;
    const delayed = finding('L07.RATINGS_DELAY');
    if (!delay) {
      const elsewhere = http.findIndex((r) => r.fault?.delay);
      out.push(
        delayed.fail({
          expected: 'fault.delay.fixedDelay: 2s on the rule without match',
          actual:
            elsewhere >= 0 ? `the delay sits on rule http[${elsewhere}], which has a match` : 'no delay on ratings',
          ...(elsewhere >= 0 ? { hint: 'onMatchedRule' } : {}),
          next,
          path: `${vsRef(vs)} .spec.http`,
        }),
      );
      return out;
    }
    const path = `${vsRef(vs)} .spec.http[${ci}].fault.delay`;
    const ms = parseIstioDuration(typeof delay['fixedDelay'] === 'string' ? delay['fixedDelay'] : undefined);
    out.push(
      ms !== undefined && ms >= 1_000 && ms < 3_000
        ? delayed.pass({ actual: String(delay['fixedDelay']), path })
        : delayed.fail({
            expected: 'fixedDelay 2s (at least 1 s, under 3 s)',
            actual: String(delay['fixedDelay'] ?? 'no fixedDelay'),
            hint: ms !== undefined && ms >= 3_000 ? 'tooLong' : 'tooShort',
            next,
            path,
          }),
    );
    const fp = faultPercent(delay as { percentage?: { value?: number }; percent?: number }, 'delay');
    const everyRequest = finding('L07.RATINGS_DELAY_PERCENTAGE');
    out.push(
      fp.percent >= 100
        ? everyRequest.pass({ path })
        : everyRequest.fail({
            expected: 'percentage: {value: 100}',
            actual: fp.from === 'omitted' ? 'percentage omitted (0% of requests)' : `${fp.percent}%`,
            next,
            path,
          }),
    );
    return out;
  },
});
