import {
  defineCheck,
  finding,
  kindRef,
  oneDestinationRule,
  resolveHost,
  subsetFindings,
  type Assertion,
} from '../../check-api';
import { egressFqdn } from './egress-objects';

/**
 * Step 2: the DestinationRule curl's sidecar (ns default) gets for the egress gateway Service has a
 * subset (lesson: `api`) that selects the gateway's pods; subsets the VirtualService uses exist.
 */
export const egressDestinationRule = defineCheck({
  labId: 'l12-egress-gateway',
  stepId: 'egress-destination-rule',
  kind: 'state',
  async run(ctx) {
    const [drs, vss, pods, svc] = await Promise.all([
      ctx.cluster.destinationRules(),
      ctx.cluster.virtualServices(),
      ctx.cluster.pods('istio-system'),
      ctx.cluster.service('istio-system', 'istio-egressgateway'),
    ]);
    const found = oneDestinationRule(drs, {
      code: 'L12.DR_EGRESS',
      params: { service: egressFqdn },
      host: egressFqdn,
      clientNamespace: 'default',
      serviceNamespace: 'istio-system',
      lessonName: 'egressgateway-for-api',
      lessonNamespace: 'default',
    });
    const out: Assertion[] = [...found.assertions];
    const dr = found.object;
    if (!dr) return out;
    const ref = kindRef('DestinationRule', dr);
    const subsets = (dr.spec.subsets ?? []).map((s) => s.name);
    const subsetFinding = finding('L12.DR_SUBSET');
    const next = `kubectl get destinationrule -n ${dr.metadata.namespace} ${dr.metadata.name} -o yaml`;
    out.push(
      subsets.length > 0
        ? subsetFinding.pass({ actual: subsets.join(', '), path: `${ref} .spec.subsets` })
        : subsetFinding.fail({
            expected: 'subsets: [{name: api}]',
            actual: 'no subsets',
            next,
            path: `${ref} .spec.subsets`,
          }),
    );
    const selector = svc?.spec?.selector;
    out.push(
      ...subsetFindings(dr, subsets, {
        host: egressFqdn,
        pods,
        serviceSelector: selector,
        next: `kubectl get pods -n istio-system --show-labels`,
      }),
    );
    for (const vs of vss) {
      for (const [i, rule] of (vs.spec.http ?? []).entries()) {
        const used = (rule.route ?? []).filter(
          (d) =>
            resolveHost(d.destination.host, vs.metadata.namespace) === egressFqdn &&
            d.destination.subset &&
            !subsets.includes(d.destination.subset),
        );
        const vsRef = kindRef('VirtualService', vs);
        for (const d of used)
          out.push(
            ...subsetFindings(dr, [d.destination.subset!], {
              host: egressFqdn,
              path: `${vsRef} .spec.http[${i}].route`,
              next: `istioctl analyze -n ${vs.metadata.namespace}`,
              missingHint: 'egressVs',
              params: { vs: vsRef },
            }),
          );
      }
    }
    return out;
  },
});
