import type { V1Pod } from '@kubernetes/client-node';
import { isReady, isRunning } from '../../pods';
import type { DestinationRule } from '../istio-schemas';
import { kindRef, selectorMatches } from './object-refs';

export type SubsetState =
  | { state: 'ok'; pods: V1Pod[]; path: string }
  | { state: 'no-destination-rule' }
  | { state: 'missing'; defined: string[]; path: string }
  | { state: 'selects-no-pods'; labels: Record<string, string>; path: string };

/**
 * Whether a subset a route uses exists and selects pods that can answer. A route to a subset no
 * DestinationRule defines fails with 503 NC (IST0101 ReferencedResourceNotFound); a subset whose labels
 * plus the Service's selector pick no Running, Ready pod fails with 503 UH (Istio 1.30
 * pkg/config/analysis/analyzers/destinationrule/subset.go, IST0173 DestinationRuleSubsetNotSelectPods).
 * `serviceSelector` undefined (a ServiceEntry or gateway Service without one) skips the pod test.
 */
export function subsetState(
  dr: DestinationRule | undefined,
  name: string,
  o: { pods?: V1Pod[]; serviceSelector?: Record<string, string> } = {},
): SubsetState {
  if (!dr) return { state: 'no-destination-rule' };
  const path = `${kindRef('DestinationRule', dr)} .spec.subsets`;
  const subset = dr.spec.subsets?.find((s) => s.name === name);
  if (!subset) return { state: 'missing', defined: (dr.spec.subsets ?? []).map((s) => s.name), path };
  const subsetPath = `${path}[name=${name}]`;
  if (!o.pods || !o.serviceSelector) return { state: 'ok', pods: [], path: subsetPath };
  const labels = { ...o.serviceSelector, ...(subset.labels ?? {}) };
  const pods = o.pods.filter((p) => isRunning(p) && isReady(p) && selectorMatches(labels, p.metadata?.labels));
  return pods.length ? { state: 'ok', pods, path: subsetPath } : { state: 'selects-no-pods', labels, path: `${subsetPath}.labels` };
}
