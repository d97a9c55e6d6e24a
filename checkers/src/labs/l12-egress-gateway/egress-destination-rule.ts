import { defineCheck, fail, pass, type Assertion } from '../../check-api';
import { drRef, findDestinationRule } from '../shared-find-objects';
import { toFqdn } from '../shared-mesh-hosts';
import { vsRef } from '../shared-virtual-service-routes';
import { egressFqdn } from './egress-objects';

/** Step 2: a DR for the egress gateway Service with a subset (lesson: `api`); subsets the VS uses exist. */
export const egressDestinationRule = defineCheck({
  labId: 'l12-egress-gateway',
  stepId: 'egress-destination-rule',
  kind: 'state',
  async run(ctx) {
    const [drs, vss] = await Promise.all([ctx.cluster.destinationRules(), ctx.cluster.virtualServices()]);
    const found = findDestinationRule(drs, {
      code: 'L12.DR_EGRESS',
      fqdn: egressFqdn,
      lessonName: 'egressgateway-for-api',
      lessonNamespace: 'default',
      missingHint: `Create a DestinationRule with host ${egressFqdn} and a subset named api.`,
    });
    const out: Assertion[] = [...found.assertions];
    const dr = found.object;
    if (!dr) return out;
    const subsets = (dr.spec.subsets ?? []).map((s) => s.name);
    out.push(
      subsets.length > 0
        ? pass('L12.DR_SUBSET', 'the DestinationRule defines a subset for the egress gateway', { actual: subsets.join(', '), path: `${drRef(dr)} .spec.subsets` })
        : fail('L12.DR_SUBSET', 'the DestinationRule defines a subset for the egress gateway', {
            expected: 'subsets: [{name: api}]',
            actual: 'no subsets',
            hint: 'Add `subsets: [{name: api}]`; the VirtualService of the next step routes the mesh traffic to that subset.',
            next: `kubectl get destinationrule -n ${dr.metadata.namespace} ${dr.metadata.name} -o yaml`,
            path: `${drRef(dr)} .spec.subsets`,
          }),
    );
    for (const vs of vss) {
      for (const [i, rule] of (vs.spec.http ?? []).entries()) {
        for (const d of rule.route ?? []) {
          const sub = d.destination.subset;
          if (toFqdn(d.destination.host, vs.metadata.namespace) !== egressFqdn || !sub || subsets.includes(sub)) continue;
          out.push(
            fail('IST0101', 'the subset the VirtualService routes to exists', {
              expected: `subset ${sub} in ${drRef(dr)}`,
              actual: `subsets ${subsets.join(', ') || 'none'}`,
              hint: `Referenced host+subset not found: ${vsRef(vs)} sends mesh traffic to subset ${sub}, which this DestinationRule does not define: Envoy has no cluster for it (503, flag NC). Use the same name in both.`,
              next: `istioctl analyze -n ${vs.metadata.namespace}`,
              path: `${vsRef(vs)} .spec.http[${i}].route`,
            }),
          );
        }
      }
    }
    return out;
  },
});
