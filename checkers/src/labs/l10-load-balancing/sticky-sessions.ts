import {
  defineCheck,
  fail,
  pass,
  pollBudgets,
  type Assertion,
  type ReviewsVersion,
  kindRef,
  oneDestinationRule,
  serviceFqdn,
  describeMix,
  virtualServicesForHost,
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
    const title = 'reviews hashes requests on the User-Agent header';
    if (header !== 'user-agent') {
      const onSubset = (dr.spec.subsets ?? []).find((s) => s.trafficPolicy?.loadBalancer?.consistentHash);
      out.push(
        fail('L10.CONSISTENT_HASH', title, {
          expected: 'trafficPolicy.loadBalancer.consistentHash.httpHeaderName: user-agent',
          actual: onSubset
            ? `consistentHash only on subset ${onSubset.name}`
            : hash
              ? `consistentHash on ${header ? `header ${header}` : Object.keys(hash).join(', ')}`
              : 'no consistentHash',
          hint: onSubset
            ? 'A subset trafficPolicy applies only to routes naming that subset; put consistentHash under the top-level trafficPolicy.'
            : header && !forwardedByProductpage.includes(header)
              ? `productpage does not forward ${header} to reviews, so the reviews call has no value to hash and Envoy picks a pod at random, as without hashing. productpage forwards user-agent: hash on that.`
              : 'Set `trafficPolicy: {loadBalancer: {consistentHash: {httpHeaderName: user-agent}}}` (replacing `simple`).',
          next,
          path,
        }),
      );
      return out;
    }
    out.push(pass('L10.CONSISTENT_HASH', title, { actual: `httpHeaderName: ${hash?.httpHeaderName}`, path }));
    const vsLeft = virtualServicesForHost(vss, { host: fqdn, clientNamespace: 'default' }).applies.find((v) =>
      (v.spec.http ?? []).some((r) => (r.route ?? []).some((d) => d.destination.subset)),
    );
    if (vsLeft) {
      out.push(
        fail('L10.VS_WITH_SUBSETS', 'no VirtualService splits reviews into subsets', {
          expected: 'no VirtualService for reviews',
          actual: `${kindRef('VirtualService', vsLeft)} routes to subsets`,
          hint: 'With a subset route each version is its own cluster of one pod: hashing has nothing to choose from. Delete that VirtualService.',
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
    const stickyTitle = 'one User-Agent always reaches the same reviews version';
    out.push(
      fixed.answered === fixed.sent && seen(fixed.counts).length === 1
        ? pass('L10.STICKY', stickyTitle, { actual: describeMix(fixed) })
        : fail('L10.STICKY', stickyTitle, {
            expected: `one version for all ${fixed.sent} requests with the same User-Agent`,
            actual: describeMix(fixed),
            hint: "Requests with one User-Agent still spread: the hash policy has not reached productpage's proxy, or something else (a VirtualService, a subset policy) overrides it.",
            next: `istioctl proxy-config cluster deploy/productpage-v1 --fqdn ${fqdn} -o json`,
          }),
    );
    const versions = new Set<ReviewsVersion>();
    for (let i = 0; i < 10; i++) {
      const m = await ctx.probes.mix(1, { headers: { 'user-agent': `workshop-checker/agent-${i}` } });
      for (const v of seen(m.counts)) versions.add(v);
    }
    const spreadTitle = 'different User-Agents reach different versions';
    out.push(
      versions.size >= 2
        ? pass('L10.SPREAD', spreadTitle, { actual: `10 User-Agents reached ${[...versions].join(', ')}` })
        : fail('L10.SPREAD', spreadTitle, {
            expected: '≥ 2 versions over 10 User-Agents',
            actual: `only ${[...versions].join(', ') || 'no version'}`,
            hint: 'Every User-Agent lands on one version: is reviews scaled to one pod, or does a VirtualService pin one subset?',
            next: 'kubectl get pods -n default -l app=reviews',
          }),
    );
    return out;
  },
});
