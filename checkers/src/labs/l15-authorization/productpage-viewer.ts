import { defineCheck, finding, type Assertion } from '../../check-api';
import { allowedFinding } from './allowed-finding';
import { detailsError, ingressIdentity, labId, pageUntil, reviewsError } from './authz-objects';

/** Step 2: productpage admits GETs from the ingress gateway; its backends are still denied. */
export const productpageViewer = defineCheck({
  labId,
  stepId: 'productpage-viewer',
  kind: 'state',
  async run(ctx) {
    const { assertion, allowed } = await allowedFinding(ctx, { app: 'productpage', path: '/productpage', caller: ingressIdentity, callerName: 'the ingress gateway' });
    if (!allowed) return [assertion];
    const out: Assertion[] = [assertion];
    const page = await pageUntil(ctx, (r) => r.status === 200);
    const partial = page.value.status === 200 && page.value.body.includes(detailsError) && page.value.body.includes(reviewsError);
    const f = finding('L15.PAGE_PARTIAL');
    out.push(
      partial
        ? f.pass({ actual: `200 with "${detailsError}" and "${reviewsError}"` })
        : f.fail({ expected: `200 with "${detailsError}" and "${reviewsError}"`, actual: page.value.status === 200 ? 'the page rendered its backends: is allow-nothing still there?' : `HTTP ${page.value.status}`, next: 'kubectl get authorizationpolicy -n default' }),
    );
    return out;
  },
});
