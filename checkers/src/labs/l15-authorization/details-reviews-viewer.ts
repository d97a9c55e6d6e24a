import { defineCheck, finding, type Assertion } from '../../check-api';
import { allowedFinding } from './allowed-finding';
import { detailsError, identityOf, labId, pageUntil, reviewsError } from './authz-objects';

/** Step 3: details and reviews admit GETs from productpage's identity; the page renders both. */
export const detailsReviewsViewer = defineCheck({
  labId,
  stepId: 'details-reviews-viewer',
  kind: 'state',
  async run(ctx) {
    const caller = identityOf('productpage');
    const details = await allowedFinding(ctx, { app: 'details', path: '/details/0', caller, callerName: 'productpage' });
    const reviews = await allowedFinding(ctx, { app: 'reviews', path: '/reviews/0', caller, callerName: 'productpage' });
    const out: Assertion[] = [details.assertion, reviews.assertion];
    if (!details.allowed || !reviews.allowed) return out;
    const page = await pageUntil(ctx, (r) => r.status === 200 && !r.body.includes(detailsError) && !r.body.includes(reviewsError));
    const f = finding('L15.PAGE_WHOLE');
    out.push(
      page.ok
        ? f.pass({ actual: 'GET /productpage: 200 with details and reviews' })
        : f.fail({ expected: 'the page without error blocks', actual: page.value.status === 200 ? 'an error block is still there' : `HTTP ${page.value.status}`, next: 'kubectl get authorizationpolicy -n default -o yaml' }),
    );
    return out;
  },
});
