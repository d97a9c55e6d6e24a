import {
  defineCheck,
  pollBudgets,
  type Assertion,
  type ReviewsVersion,
  kindRef,
  oneDestinationRule,
  serviceFqdn,
  describeMix,
  virtualServicesForHost,
  finding,
} from '../../check-api';

/** Headers productpage copies onto its call to reviews (bookinfo productpage.py getForwardHeaders, tracing ones aside, + end-user). */
const forwardedByProductpage = ['user-agent', 'end-user', 'cookie', 'x-request-id', 'authorization', 'jwt'];

const seen = (counts: Record<ReviewsVersion, number>) =>
  (Object.keys(counts) as ReviewsVersion[]).filter((v) => counts[v] > 0);

/**
 * Step 3: DR reviews hashes on the `user-agent` header; then one User-Agent always lands on one version
 * and ten different User-Agents reach at least two versions.
 */
export const stickySessions = defineCheck({
  labId: 'l10-load-balancing',
  stepId: 'sticky-sessions',
  kind: 'probe',
  async run(ctx) {
    const fqdn = serviceFqdn('reviews', 'default');
    const [drs, vss] = await Promise.all([ctx.cluster.destinationRules(), ctx.cluster.virtualServices()]);
    const found = oneDestinationRule(drs, {
      code: 'L10.DR',
      params: { service: 'reviews' },
      host: serviceFqdn('reviews', 'default'),
      clientNamespace: 'default',
      serviceNamespace: 'default',
      lessonName: 'reviews',
    });
    const out: Assertion[] = [...found.assertions];
    const dr = found.object;
    if (!dr) return out;
    const path = `${kindRef('DestinationRule', dr)} .spec.trafficPolicy.loadBalancer.consistentHash`;
    const next = `kubectl get destinationrule -n ${dr.metadata.namespace} ${dr.metadata.name} -o yaml`;
    const hash = dr.spec.trafficPolicy?.loadBalancer?.consistentHash;
    const header = hash?.httpHeaderName?.toLowerCase();
    const hashFinding = finding('L10.CONSISTENT_HASH', { header: header ?? '' });
    if (header !== 'user-agent') {
      const onSubset = (dr.spec.subsets ?? []).find((s) => s.trafficPolicy?.loadBalancer?.consistentHash);
      out.push(
        hashFinding.fail({
          expected: 'trafficPolicy.loadBalancer.consistentHash.httpHeaderName: user-agent',
          actual: onSubset
            ? `consistentHash only on subset ${onSubset.name}`
            : hash
              ? `consistentHash on ${header ? `header ${header}` : Object.keys(hash).join(', ')}`
              : 'no consistentHash',
          hint: onSubset ? 'onSubset' : header && !forwardedByProductpage.includes(header) ? 'notForwarded' : undefined,
          next,
          path,
        }),
      );
      return out;
    }
    out.push(hashFinding.pass({ actual: `httpHeaderName: ${hash?.httpHeaderName}`, path }));
    const vsLeft = virtualServicesForHost(vss, { host: fqdn, clientNamespace: 'default' }).applies.find((v) =>
      (v.spec.http ?? []).some((r) => (r.route ?? []).some((d) => d.destination.subset)),
    );
    if (vsLeft) {
      out.push(
        finding('L10.VS_WITH_SUBSETS').fail({
          expected: 'no VirtualService for reviews',
          actual: `${kindRef('VirtualService', vsLeft)} routes to subsets`,
          next: `kubectl delete virtualservice -n ${vsLeft.metadata.namespace} ${vsLeft.metadata.name}`,
          path: kindRef('VirtualService', vsLeft),
        }),
      );
      return out;
    }
    const agent = { 'user-agent': 'workshop-checker/sticky-1' };
    const sticky = await ctx.poll(() => ctx.probes.mix(10, { headers: agent }), {
      until: (m) => m.answered === m.sent && seen(m.counts).length === 1,
      ...pollBudgets.propagation,
    });
    const fixed = sticky.ok ? await ctx.probes.mix(30, { headers: agent }) : sticky.value;
    const stickyFinding = finding('L10.STICKY');
    out.push(
      fixed.answered === fixed.sent && seen(fixed.counts).length === 1
        ? stickyFinding.pass({ actual: describeMix(fixed) })
        : stickyFinding.fail({
            expected: `one version for all ${fixed.sent} requests with the same User-Agent`,
            actual: describeMix(fixed),
            next: `istioctl proxy-config cluster deploy/productpage-v1 --fqdn ${fqdn} -o json`,
          }),
    );
    const versions = new Set<ReviewsVersion>();
    for (let i = 0; i < 10; i++) {
      const m = await ctx.probes.mix(1, { headers: { 'user-agent': `workshop-checker/agent-${i}` } });
      for (const v of seen(m.counts)) versions.add(v);
    }
    const spreadFinding = finding('L10.SPREAD');
    out.push(
      versions.size >= 2
        ? spreadFinding.pass({ actual: `10 User-Agents reached ${[...versions].join(', ')}` })
        : spreadFinding.fail({
            expected: '≥ 2 versions over 10 User-Agents',
            actual: `only ${[...versions].join(', ') || 'no version'}`,
            next: 'kubectl get pods -n default -l app=reviews',
          }),
    );
    return out;
  },
});
