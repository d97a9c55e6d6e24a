import {
  defineCheck,
  finding,
  type Assertion,
  catchAllIndex,
  kindRef,
  readRoutedService,
  serviceFqdn,
  virtualServicesForHost,
  type VirtualService,
} from '../../check-api';
import { parseIstioDuration } from '../../istio/istio-duration';

const vsRef = (vs: VirtualService) => kindRef('VirtualService', vs);

/** Step 2: the reviews route gives up after ≤ 1 s (lesson: 0.5 s), well under productpage's 3 s. */
export const timeoutReviews = defineCheck({
  labId: 'l07-timeouts-retries',
  stepId: 'timeout-reviews',
  kind: 'state',
  async run(ctx) {
    const reviews = await readRoutedService(ctx, {
      code: 'L07.VS',
      service: 'reviews',
      namespace: 'default',
      missingHint: 'reviewsGone',
    });
    const out: Assertion[] = [...reviews.assertions];
    const vs = reviews.vs;
    if (!vs) return out;
    const http = vs.spec.http ?? [];
    const ci = catchAllIndex(http);
    const rule = ci >= 0 ? http[ci] : undefined;
    const timeout = finding('L07.REVIEWS_TIMEOUT');
    const next = `kubectl get virtualservice -n ${vs.metadata.namespace} ${vs.metadata.name} -o yaml`;
    const path = `${vsRef(vs)} .spec.http[${Math.max(ci, 0)}].timeout`;
    if (!rule?.timeout) {
      const ratingsWithTimeout = virtualServicesForHost(reviews.allVirtualServices, {
        host: serviceFqdn('ratings', 'default'),
        clientNamespace: 'default',
      }).applies.find((v) => (v.spec.http ?? []).some((r) => r.timeout !== undefined));
      out.push(
        timeout.fail({
          expected: 'timeout: 0.5s on the reviews rule',
          actual: ratingsWithTimeout
            ? `no timeout on reviews; ${vsRef(ratingsWithTimeout)} has one`
            : 'no timeout on the reviews route',
          ...(ratingsWithTimeout ? { hint: 'onRatings' } : {}),
          next,
          path,
        }),
      );
      return out;
    }
    const ms = parseIstioDuration(rule.timeout);
    out.push(
      ms !== undefined && ms > 0 && ms <= 1_000
        ? timeout.pass({ actual: rule.timeout, path })
        : timeout.fail({
            expected: 'timeout ≤ 1s (lesson: 0.5s)',
            actual: rule.timeout,
            hint: ms !== undefined && ms >= 3_000 ? 'afterProductpage' : ms === 0 ? 'disabled' : 'notUnderDelay',
            next,
            path,
          }),
    );
    return out;
  },
});
