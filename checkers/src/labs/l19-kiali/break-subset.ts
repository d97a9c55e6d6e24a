import { defineCheck, finding, kindRef, readRoutedService, subsetState, type Assertion } from '../../check-api';
import { describeChecks, labId, ns, pollValidations, reviewsSubsets, validationOf, vsRef } from './kiali-reads';

/**
 * Step 2 (a break on purpose): the reviews VirtualService routes to subset v4, which no DestinationRule
 * defines (rule subsetState: IST0101, Envoy has no cluster, 503 NC). Kiali must flag the VirtualService
 * with KIA1107, and `istioctl analyze -n default` with IST0101 when istioctl is on the checker's PATH
 * (Istio 1.30.3 pkg/config/analysis/analyzers/virtualservice/destinationrules.go: ReferencedResourceNotFound,
 * "Referenced host+subset in destinationrule not found: \"reviews+v4\"", origin "VirtualService default/reviews").
 */
export const breakSubset = defineCheck({
  labId,
  stepId: 'break-subset',
  kind: 'state',
  async run(ctx) {
    const routed = await readRoutedService(ctx, { code: 'L19.VS', service: 'reviews', namespace: ns });
    const vs = routed.vs;
    if (!vs) return routed.assertions;
    const ref = vsRef(vs);
    const next = `kubectl get virtualservice -n ${vs.metadata.namespace} ${vs.metadata.name} -o yaml`;
    const used = reviewsSubsets(vs);
    const toV4 = finding('L19.ROUTES_TO_V4', { vs: ref });
    if (!used.includes('v4')) return [...routed.assertions, toV4.fail({ expected: 'a route to subset v4', actual: used.length ? `routes to subset ${used.join(', ')}` : 'routes without subset', next, path: `${ref} .spec.http` })];
    const out: Assertion[] = [...routed.assertions, toV4.pass()];
    const state = subsetState(routed.dr, 'v4');
    const undefinedV4 = finding('L19.V4_UNDEFINED', { dr: routed.dr ? kindRef('DestinationRule', routed.dr) : 'no DestinationRule' });
    out.push(
      state.state === 'missing' || state.state === 'no-destination-rule'
        ? undefinedV4.pass({ actual: state.state === 'missing' ? `subsets: ${state.defined.join(', ') || 'none'}` : 'no DestinationRule for reviews' })
        : undefinedV4.fail({ expected: 'no subset v4', actual: 'subset v4 is defined', next: 'kubectl get destinationrule -n default reviews -o yaml', path: state.path }),
    );
    if (state.state !== 'missing' && state.state !== 'no-destination-rule') return out;

    const seen = await pollValidations(ctx, (all) => (validationOf(all, 'VirtualService', vs.metadata.name)?.checks ?? []).some((c) => c.code === 'KIA1107'));
    const kia = finding('L19.KIALI_KIA1107', { vs: ref });
    const mine = validationOf(seen.value, 'VirtualService', vs.metadata.name);
    out.push(
      seen.ok
        ? kia.pass({ actual: describeChecks(mine).join('; ') })
        : kia.fail({ expected: 'KIA1107 Subset not found on the VirtualService', actual: describeChecks(mine).join('; ') || 'no validation message', next: 'open Kiali → Istio Config → namespace default' }),
    );

    const analyzed = await ctx.probes.analyze(ns);
    const an = finding('L19.ANALYZE', { vs: ref });
    if (!analyzed) out.push(an.pass({ note: 'skipped' }));
    else {
      // istioctl names the origin "VirtualService default/reviews" (older releases: "reviews.default").
      const hit = analyzed.find((m) => m.code === 'IST0101' && /VirtualService/.test(m.origin ?? '') && new RegExp(`\\b(${vs.metadata.namespace}/${vs.metadata.name}|${vs.metadata.name}\\.${vs.metadata.namespace})\\b`).test(m.origin ?? ''));
      out.push(hit ? an.pass({ actual: hit.message }) : an.fail({ expected: `IST0101 on ${ref}`, actual: analyzed.map((m) => `${m.code} ${m.origin ?? ''}`).join('; ') || 'no findings', next: 'istioctl analyze -n default' }));
    }
    return out;
  },
});
