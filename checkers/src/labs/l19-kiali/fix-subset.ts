import { defineCheck, finding, readRoutedService, subsetFindings, type Assertion } from '../../check-api';
import { describeChecks, labId, ns, pollValidations, reviewsSubsets, validationOf, vsRef } from './kiali-reads';

/**
 * Step 3: every subset the reviews VirtualService routes to exists and selects pods (subsetFindings:
 * IST0101 / IST0173), and Kiali no longer reports KIA1107 or any error on the reviews VirtualService and
 * DestinationRule. Deleting the VirtualService also removes the broken reference: it passes with a note.
 */
export const fixSubset = defineCheck({
  labId,
  stepId: 'fix-subset',
  kind: 'state',
  async run(ctx) {
    const routed = await readRoutedService(ctx, { code: 'L19.VS', service: 'reviews', namespace: ns });
    const vs = routed.vs;
    const out: Assertion[] = [];
    if (!vs) {
      if (routed.assertions.some((a) => a.status === 'fail' && a.code !== 'L19.VS')) return routed.assertions;
      out.push(finding('L19.SUBSETS_EXIST', { vs: 'the reviews VirtualService' }).pass({ note: 'noVs' }));
    } else {
      const ref = vsRef(vs);
      const broken = subsetFindings(routed.dr, reviewsSubsets(vs), { host: routed.host, pods: routed.pods, serviceSelector: routed.serviceSelector, path: `${ref} .spec.http`, next: `kubectl edit virtualservice -n ${vs.metadata.namespace} ${vs.metadata.name}` });
      out.push(...routed.assertions, ...(broken.length ? broken : [finding('L19.SUBSETS_EXIST', { vs: ref }).pass({ actual: `routes to ${reviewsSubsets(vs).join(', ') || 'reviews without subset'}` })]));
      if (broken.length) return out;
    }
    const problems = (all: Parameters<typeof validationOf>[0]) =>
      [validationOf(all, 'VirtualService', vs?.metadata.name ?? 'reviews'), routed.dr ? validationOf(all, 'DestinationRule', routed.dr.metadata.name) : undefined].flatMap((v) =>
        v ? describeChecks({ ...v, checks: v.checks.filter((c) => c.code === 'KIA1107' || c.severity === 'error') }) : [],
      );
    const seen = await pollValidations(ctx, (all) => problems(all).length === 0);
    const left = problems(seen.value);
    const clean = finding('L19.KIALI_CLEAN', { problems: left.join('; ') || 'nothing' });
    out.push(seen.ok ? clean.pass() : clean.fail({ expected: 'no KIA1107 and no error on reviews', actual: left.join('; '), next: 'open Kiali → Istio Config → namespace default' }));
    return out;
  },
});
