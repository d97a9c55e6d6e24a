import { defineCheck, fail, pass } from '../../check-api';
import { serviceFqdn } from '../shared-mesh-hosts';
import { meshVirtualServicesFor, vsRef } from '../shared-virtual-service-routes';

/** Step 1: no VirtualService routes reviews any more, so the DR's load balancer chooses among all pods. */
export const removeReviewsRoute = defineCheck({
  labId: 'l10-load-balancing',
  stepId: 'remove-reviews-route',
  kind: 'state',
  async run(ctx) {
    const fqdn = serviceFqdn('reviews', 'default');
    const found = meshVirtualServicesFor(await ctx.cluster.virtualServices(), fqdn);
    const title = 'no VirtualService routes reviews';
    if (found.length === 0) return [pass('L10.NO_REVIEWS_VS', title, { actual: `no VirtualService for ${fqdn}` })];
    const first = found[0]!;
    return [
      fail('L10.NO_REVIEWS_VS', title, {
        expected: `no VirtualService for ${fqdn}`,
        actual: found.map(vsRef).join(', '),
        hint: 'A VirtualService with subsets sends each version to its own cluster (one pod each), so the load balancer has nothing to choose. Delete it to let traffic spread over v1, v2 and v3.',
        next: `kubectl delete virtualservice -n ${first.metadata.namespace} ${first.metadata.name}`,
        path: vsRef(first),
      }),
    ];
  },
});
