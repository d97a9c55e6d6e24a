import { defineCheck, fail, pass, type Assertion } from '../../check-api';
import { catchAllIndex, vsRef } from '../shared-virtual-service-routes';
import { httpbinToV1 } from './httpbin-route';
import { mirrorTargets } from './mirror-targets';

/** Step 2: the httpbin rule still routes to v1 and mirrors to subset v2 at a percentage above 0. */
export const mirrorV2 = defineCheck({
  labId: 'l09-mirroring',
  stepId: 'mirror-v2',
  kind: 'state',
  async run(ctx) {
    const { routed, assertions } = await httpbinToV1(ctx);
    const out: Assertion[] = [...assertions];
    const vs = routed.vs;
    if (!vs) return out;
    const http = vs.spec.http ?? [];
    const ci = catchAllIndex(http);
    if (ci < 0) return out;
    const targets = mirrorTargets(http[ci]!, vs.metadata.namespace);
    const path = `${vsRef(vs)} .spec.http[${ci}]`;
    const next = `kubectl get virtualservice -n ${vs.metadata.namespace} ${vs.metadata.name} -o yaml`;
    const title = 'the route mirrors a copy of each request to subset v2';
    const good = targets.find((t) => t.host === routed.fqdn && t.subset === 'v2' && t.percent > 0);
    if (good) {
      out.push(pass('L09.MIRROR', title, { actual: `${good.form} → v2 at ${good.percent}%`, path }));
      const defined = new Set((routed.dr?.spec.subsets ?? []).map((s) => s.name));
      if (!defined.has('v2')) {
        out.push(
          fail('IST0101', 'subset v2 is defined in the DestinationRule', {
            expected: `subset v2 in a DestinationRule for ${routed.fqdn}`,
            actual: routed.dr ? `subsets ${[...defined].join(', ') || 'none'}` : 'no DestinationRule for httpbin',
            hint: 'The mirror target must be a defined subset; add `{name: v2, labels: {version: v2}}` to the httpbin DestinationRule.',
            next: 'istioctl analyze -n intro',
            path,
          }),
        );
      }
      return out;
    }
    const same = targets.find((t) => t.subset === 'v1');
    const zero = targets.find((t) => t.subset === 'v2' && t.percent <= 0);
    out.push(
      fail(same ? 'L09.MIRROR_SAME_SUBSET' : zero ? 'L09.MIRROR_PERCENTAGE' : 'L09.MIRROR', title, {
        expected: 'mirror: {host: httpbin, subset: v2} with mirrorPercentage {value: 100} (or mirrors: [{destination: …v2, percentage: …}])',
        actual:
          targets.length === 0
            ? 'no mirror on the rule'
            : targets.map((t) => `${t.form} → ${t.host} subset ${t.subset ?? '(none)'} at ${t.percent}%`).join('; '),
        hint: same
          ? 'Mirroring to v1, the subset that already answers, only doubles v1\'s load. Mirror to subset v2.'
          : zero
            ? 'A mirror percentage of 0 mirrors nothing; use `mirrorPercentage: {value: 100}`.'
            : 'Add `mirror: {host: httpbin, subset: v2}` and `mirrorPercentage: {value: 100}` next to `route` in the same rule.',
        next,
        path,
      }),
    );
    return out;
  },
});
