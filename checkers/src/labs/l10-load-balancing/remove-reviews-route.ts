import {
  defineCheck,
  finding,
  kindRef,
  routeShares,
  serviceFqdn,
  virtualServicesForHost,
  type VirtualService,
} from '../../check-api';

const host = serviceFqdn('reviews', 'default');

/** True when every destination that gets traffic names the whole Service (no subset): Envoy's load balancer then picks among all pods. */
function spreadsOverAllPods(vs: VirtualService): boolean {
  return (vs.spec.http ?? []).every((_, i) =>
    routeShares(vs, i).every((d) => d.share === 0 || (d.host === host && d.subset === undefined)),
  );
}

/**
 * Step 1, judged by its goal: productpage's calls to reviews reach every reviews pod through one
 * cluster, so the DestinationRule's load balancer has something to choose. No VirtualService that
 * applies to clients in default does it (the lesson's form); so does one whose routes name reviews
 * without a subset (passes with a note). Subset routes make one cluster per version, one pod each.
 */
export const removeReviewsRoute = defineCheck({
  labId: 'l10-load-balancing',
  stepId: 'remove-reviews-route',
  kind: 'state',
  async run(ctx) {
    const applies = virtualServicesForHost(await ctx.cluster.virtualServices(), {
      host,
      clientNamespace: 'default',
    }).applies;
    const pinning = applies.filter((vs) => !spreadsOverAllPods(vs));
    const first = applies[0];
    if (!first) return [finding('L10.NO_REVIEWS_VS', { vs: '' }).pass({ actual: `no VirtualService for ${host}` })];
    const f = finding('L10.NO_REVIEWS_VS', { vs: kindRef('VirtualService', pinning[0] ?? first) });
    if (pinning.length === 0)
      return [
        f.pass({
          actual: `${kindRef('VirtualService', first)} routes ${host} without a subset`,
          path: kindRef('VirtualService', first),
          note: 'withoutSubset',
        }),
      ];
    const vs = pinning[0]!;
    return [
      f.fail({
        expected: `no VirtualService for ${host}, or one whose routes name no subset`,
        actual: pinning.map((v) => kindRef('VirtualService', v)).join(', '),
        next: `kubectl delete virtualservice -n ${vs.metadata.namespace} ${vs.metadata.name}`,
        path: kindRef('VirtualService', vs),
      }),
    ];
  },
});
