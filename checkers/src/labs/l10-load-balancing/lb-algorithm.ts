import {
  defineCheck,
  pollBudgets,
  type Assertion,
  kindRef,
  oneDestinationRule,
  serviceFqdn,
  finding,
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
    const expectedEnvoy = simple ? simpleToEnvoy[simple] : undefined;
    if (!simple || !expectedEnvoy) {
      const onSubset = (dr.spec.subsets ?? []).find((s) => s.trafficPolicy?.loadBalancer?.simple);
      out.push(
        finding('L10.LB_SIMPLE').fail({
          expected: 'trafficPolicy.loadBalancer.simple: ROUND_ROBIN, RANDOM or LEAST_REQUEST',
          actual: onSubset
            ? `set only on subset ${onSubset.name}`
            : simple
              ? `simple: ${simple}`
              : dr.spec.trafficPolicy?.loadBalancer?.consistentHash
                ? 'consistentHash instead of simple'
                : 'not set (Istio then uses LEAST_REQUEST, its default)',
          next,
          ...(onSubset ? { hint: 'onSubset' } : {}),
          path,
        }),
      );
      return out;
    }
    out.push(finding('L10.LB_SIMPLE').pass({ actual: `simple: ${simple}`, path }));
    const res = await ctx.poll(() => productpageReviewsCluster(ctx), {
      until: (d) => d?.cluster !== undefined && effectiveLbPolicy(d.cluster) === expectedEnvoy,
      ...pollBudgets.propagation,
    });
    const d = res.value;
    const generated = finding('L10.LB_GENERATED', { policy: expectedEnvoy });
    if (!d) {
      out.push(
        generated.fail({
          expected: `lbPolicy ${expectedEnvoy}`,
          actual: 'no running productpage pod',
          next: 'kubectl get pods -n default',
          hint: 'noProductpage',
        }),
      );
      return out;
    }
    out.push(
      res.ok
        ? generated.pass({ actual: `${d.cluster?.name} lbPolicy ${effectiveLbPolicy(d.cluster!)}` })
        : generated.fail({
            expected: `lbPolicy ${expectedEnvoy} (absent means ROUND_ROBIN)`,
            actual: d.cluster
              ? `lbPolicy ${effectiveLbPolicy(d.cluster)}`
              : `no cluster outbound|9080||${fqdn} for ${d.proxyId}`,
            next: `istioctl proxy-config cluster ${d.proxyId} --fqdn ${fqdn} -o json`,
            ...(d.cluster ? {} : { hint: 'noCluster' }),
          }),
    );
    return out;
  },
});
