import type { V1Pod } from '@kubernetes/client-node';
import type { Assertion } from '../check-result';
import { finding } from '../catalogue/findings';
import type { TemplateParams } from '../catalogue/render-template';
import type { DestinationRule } from '../istio/istio-schemas';
import { kindRef, labelsText } from '../istio/rules/object-refs';
import { subsetState } from '../istio/rules/subsets';

export interface SubsetFindingsOptions {
  /** FQDN of the host the routes go to. */
  host: string;
  /** Pods and the Service selector, to judge IST0173; omit for hosts without pods of their own. */
  pods?: V1Pod[];
  serviceSelector?: Record<string, string>;
  /** Where the subset is used, e.g. "VirtualService default/reviews .spec.http[1].route". */
  path?: string;
  next: string;
  /** IST0101 hint variant, e.g. `applyFirst` while the lesson applies DRs before routes. */
  missingHint?: string;
  /** Extra parameters that hint variant uses. */
  params?: TemplateParams;
}

/**
 * Failing findings for subsets a route uses: not defined by the DestinationRule that applies (IST0101,
 * 503 NC) or selecting no Running, Ready pod (IST0173, 503 UH). Empty when every subset is fine.
 */
export function subsetFindings(dr: DestinationRule | undefined, subsets: string[], o: SubsetFindingsOptions): Assertion[] {
  const out: Assertion[] = [];
  for (const subset of [...new Set(subsets)]) {
    const s = subsetState(dr, subset, { pods: o.pods, serviceSelector: o.serviceSelector });
    const params = { ...o.params, subset, host: o.host, reference: `subset ${subset} of ${o.host}` };
    if (s.state === 'no-destination-rule' || s.state === 'missing') {
      out.push(
        finding('IST0101', params).fail({
          expected: `subset ${subset} in a DestinationRule for ${o.host}`,
          actual: s.state === 'missing' && dr ? `${kindRef('DestinationRule', dr)} defines ${s.defined.join(', ') || 'no subsets'}` : 'no DestinationRule for this host',
          next: o.next,
          path: o.path,
          hint: o.missingHint,
        }),
      );
    } else if (s.state === 'selects-no-pods') {
      out.push(
        finding('IST0173', params).fail({
          expected: `≥ 1 Running, Ready pod with ${labelsText(s.labels)}`,
          actual: 'none',
          next: `kubectl get pods -n ${o.host.split('.')[1] ?? 'default'} -l ${labelsText(s.labels)}`,
          path: s.path,
        }),
      );
    }
  }
  return out;
}
