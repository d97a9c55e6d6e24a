import {
  defineCheck,
  fail,
  pass,
  pollBudgets,
  type Assertion,
  kindRef,
  oneDestinationRule,
  serviceFqdn,
} from '../../check-api';
import { effectiveLbPolicy, productpageReviewsCluster } from './envoy-cluster';

const simpleToEnvoy: Record<string, string> = {
  ROUND_ROBIN: 'ROUND_ROBIN',
  RANDOM: 'RANDOM',
  LEAST_REQUEST: 'LEAST_REQUEST',
  LEAST_CONN: 'LEAST_REQUEST', // deprecated alias istiod maps to LEAST_REQUEST
};

/**
 * Step 2: DR reviews sets `trafficPolicy.loadBalancer.simple`, and the configuration istiod generates
 * for productpage's proxy carries it (cluster outbound|9080||reviews… lbPolicy; absent = ROUND_ROBIN).
 * Config-based on purpose: 20 requests cannot tell RANDOM from LEAST_REQUEST.
 */
export const lbAlgorithm = defineCheck({
  labId: 'l10-load-balancing',
  stepId: 'lb-algorithm',
  kind: 'probe',
  async run(ctx) {
    const fqdn = serviceFqdn('reviews', 'default');
    const found = oneDestinationRule(await ctx.cluster.destinationRules(), {
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
    const simple = dr.spec.trafficPolicy?.loadBalancer?.simple;
    const path = `${kindRef('DestinationRule', dr)} .spec.trafficPolicy.loadBalancer.simple`;
    const next = `kubectl get destinationrule -n ${dr.metadata.namespace} ${dr.metadata.name} -o yaml`;
    const title = 'the reviews DestinationRule picks a load-balancing algorithm';
    const expectedEnvoy = simple ? simpleToEnvoy[simple] : undefined;
    if (!simple || !expectedEnvoy) {
      const onSubset = (dr.spec.subsets ?? []).find((s) => s.trafficPolicy?.loadBalancer?.simple);
      out.push(
        fail('L10.LB_SIMPLE', title, {
          expected: 'trafficPolicy.loadBalancer.simple: ROUND_ROBIN, RANDOM or LEAST_REQUEST',
          actual: onSubset
            ? `set only on subset ${onSubset.name}`
            : simple
              ? `simple: ${simple}`
              : dr.spec.trafficPolicy?.loadBalancer?.consistentHash
                ? 'consistentHash instead of simple'
                : 'not set (Istio then uses LEAST_REQUEST, its default)',
          hint: onSubset
            ? 'A subset trafficPolicy only applies to routes naming that subset; with no VirtualService traffic uses the top-level trafficPolicy. Move it there.'
            : 'Set `trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}` (then RANDOM, then LEAST_REQUEST). Without it Istio uses LEAST_REQUEST, not round robin.',
          next,
          path,
        }),
      );
      return out;
    }
    out.push(pass('L10.LB_SIMPLE', title, { actual: `simple: ${simple}`, path }));
    const res = await ctx.poll(() => productpageReviewsCluster(ctx), {
      until: (d) => d?.cluster !== undefined && effectiveLbPolicy(d.cluster) === expectedEnvoy,
      ...pollBudgets.propagation,
    });
    const d = res.value;
    const genTitle = `istiod gives productpage's proxy lbPolicy ${expectedEnvoy} for reviews`;
    if (!d) {
      out.push(
        fail('L10.LB_GENERATED', genTitle, {
          expected: `lbPolicy ${expectedEnvoy}`,
          actual: 'no running productpage pod',
          hint: 'productpage is not running, so there is no proxy to inspect. Check the Bookinfo pods.',
          next: 'kubectl get pods -n default',
        }),
      );
      return out;
    }
    out.push(
      res.ok
        ? pass('L10.LB_GENERATED', genTitle, { actual: `${d.cluster?.name} lbPolicy ${effectiveLbPolicy(d.cluster!)}` })
        : fail('L10.LB_GENERATED', genTitle, {
            expected: `lbPolicy ${expectedEnvoy} (absent means ROUND_ROBIN)`,
            actual: d.cluster
              ? `lbPolicy ${effectiveLbPolicy(d.cluster)}`
              : `no cluster outbound|9080||${fqdn} for ${d.proxyId}`,
            hint: d.cluster
              ? 'istiod has not pushed the new policy to productpage yet, or another DestinationRule for reviews wins. Check the proxy is in sync.'
              : "productpage's proxy has no reviews cluster: is its sidecar connected to istiod?",
            next: `istioctl proxy-config cluster ${d.proxyId} --fqdn ${fqdn} -o json`,
          }),
    );
    return out;
  },
});
