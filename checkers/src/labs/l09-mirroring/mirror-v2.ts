import {
  catchAllIndex,
  defineCheck,
  finding,
  kindRef,
  subsetFindings,
  type Assertion,
  type VirtualService,
} from '../../check-api';
import { httpbinToV1 } from './httpbin-route';
import { mirrorTargets } from './mirror-targets';

const vsRef = (vs: VirtualService) => kindRef('VirtualService', vs);
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
    const good = targets.find((t) => t.host === routed.host && t.subset === 'v2' && t.percent > 0);
    if (good) {
      out.push(finding('L09.MIRROR').pass({ actual: `${good.form} → v2 at ${good.percent}%`, path }));
      out.push(
        ...subsetFindings(routed.dr, ['v2'], {
          host: routed.host,
          pods: routed.pods,
          serviceSelector: routed.serviceSelector,
          path,
          next: 'istioctl analyze -n intro',
        }),
      );
      return out;
    }
    const same = targets.some((t) => t.subset === 'v1');
    const zero = targets.some((t) => t.subset === 'v2' && t.percent <= 0);
    out.push(
      finding(same ? 'L09.MIRROR_SAME_SUBSET' : zero ? 'L09.MIRROR_PERCENTAGE' : 'L09.MIRROR').fail({
        expected:
          'mirror: {host: httpbin, subset: v2} with mirrorPercentage {value: 100} (or mirrors: [{destination: …v2, percentage: …}])',
        actual:
          targets.length === 0
            ? 'no mirror on the rule'
            : targets.map((t) => `${t.form} → ${t.host} subset ${t.subset ?? '(none)'} at ${t.percent}%`).join('; '),
        next,
        path,
      }),
    );
    return out;
  },
});
