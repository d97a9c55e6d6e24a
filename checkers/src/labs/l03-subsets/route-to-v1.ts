import { defineCheck, destinationRulesForHost, fail, fqdn, oneMeshVirtualService, pass, refOf, type Assertion } from '../../check-api';
import { bookinfoNs, bookinfoSubsets, routeTargets } from './bookinfo-services';

/** Step 2: one mesh VS per Bookinfo service sending everything to subset v1. */
export const routeToV1 = defineCheck({
  labId: 'l03-subsets',
  stepId: 'route-to-v1',
  kind: 'state',
  async run({ cluster }) {
    const [vss, drs] = await Promise.all([cluster.virtualServices(), cluster.destinationRules()]);
    const out: Assertion[] = [];
    for (const svc of Object.keys(bookinfoSubsets)) {
      const code = `L03.VS_${svc.toUpperCase()}`;
      const host = fqdn(svc, bookinfoNs);
      const { found: vs, problems } = oneMeshVirtualService(vss, svc, bookinfoNs, code, {
        hint: `Create a VirtualService for ${svc} with one route to subset v1.`,
        next: 'kubectl get virtualservice -A',
      });
      out.push(...problems);
      if (!vs) continue;
      const ref = refOf(vs);
      const title = `VirtualService ${ref} sends all ${svc} traffic to subset v1`;
      const targets = routeTargets(vs).filter((t) => t.weight > 0);
      const path = `VirtualService ${ref} .spec.http`;
      if (!routeTargets(vs).some((t) => t.catchAll)) {
        out.push(fail(`${code}_CATCH_ALL`, title, { expected: 'a rule without match (the default route)', actual: 'every rule has a match', hint: 'Requests that match no rule get no route at all (404); end with a rule that has no match.', path }));
        continue;
      }
      const noSubset = targets.filter((t) => !t.subset);
      const wrong = targets.filter((t) => t.host !== host || (t.subset !== undefined && t.subset !== 'v1'));
      if (noSubset.length) {
        out.push(fail(`${code}_NO_SUBSET`, title, { expected: 'destination.subset: v1', actual: 'a route without subset', hint: 'A destination without subset spreads traffic over every version of the service.', path: `${path}[${noSubset[0]?.rule ?? 0}].route` }));
        continue;
      }
      if (wrong.length) {
        out.push(fail(`${code}_SUBSET`, title, { expected: `${svc} subset v1`, actual: wrong.map((t) => `${t.host.split('.')[0] ?? t.host} subset ${t.subset ?? '-'} (weight ${t.weight})`).join(', '), hint: 'Every route of this step goes to v1; later labs split traffic.', path: `${path}[${wrong[0]?.rule ?? 0}].route` }));
        continue;
      }
      const dr = destinationRulesForHost(drs, svc, bookinfoNs)[0];
      if (!dr?.spec.subsets?.some((s) => s.name === 'v1')) {
        out.push(fail('IST0101', `subset v1 of ${svc} is defined by a DestinationRule`, { expected: `a DestinationRule for ${host} with subset v1`, actual: dr ? `DestinationRule ${refOf(dr)} without v1` : 'no DestinationRule', hint: 'Referenced host+subset in destinationrule not found (IST0101): requests fail with 503 until the DestinationRule exists. Apply the DestinationRules first.', next: `istioctl analyze -n ${bookinfoNs}` }));
        continue;
      }
      out.push(pass(code, title, vs.metadata.name !== svc ? { hint: `Named ${vs.metadata.name} rather than ${svc}; that is fine, the host is what counts.` } : undefined));
    }
    return out;
  },
});
