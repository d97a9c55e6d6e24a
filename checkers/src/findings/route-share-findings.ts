import type { V1Pod } from '@kubernetes/client-node';
import type { Assertion } from '../check-result';
import { finding } from '../catalogue/findings';
import type { DestinationRule, VirtualService } from '../istio/istio-schemas';
import { kindRef } from '../istio/rules/object-refs';
import { catchAllIndex, describeShares, formatPercent, routeShares, rulesWithoutConditions, sharesBySubset } from '../istio/rules/route-weights';
import { subsetFindings } from './subset-findings';

export interface CatchAllSharesOptions {
  vs: VirtualService;
  /** FQDN of the routed service (destinations must point at it). */
  host: string;
  /** Expected share per subset; subsets not listed must get 0. */
  target: Record<string, number>;
  /** The DestinationRule that applies to the host, to prove routed subsets exist and select pods. */
  dr: DestinationRule | undefined;
  pods?: V1Pod[];
  serviceSelector?: Record<string, string>;
}

/**
 * Judges the catch-all rule of a VirtualService against a target split (rule routeShares: relative
 * weights, weight 0 gets nothing, a lone destination gets all): one rule holds the weighted
 * destinations, they point at the service, name subsets, the shares match, and the subsets exist and
 * select pods.
 */
export function catchAllShareFindings(o: CatchAllSharesOptions): Assertion[] {
  const http = o.vs.spec.http ?? [];
  const ref = kindRef('VirtualService', o.vs);
  const next = `kubectl get virtualservice -n ${o.vs.metadata.namespace} ${o.vs.metadata.name} -o yaml`;
  const targetSubsets = Object.keys(o.target).filter((k) => (o.target[k] ?? 0) > 0);
  const targetText = targetSubsets.map((k) => `${formatPercent(o.target[k]!)} to ${k}`).join(' and ');
  const shares = finding('MESH.ROUTE_SHARES', { target: targetText });
  const idx = catchAllIndex(http);
  if (idx < 0) {
    return [shares.fail({ expected: `a rule without match whose route holds ${targetText}`, actual: http.length === 0 ? 'no http rules' : 'every rule has a match, so other requests get 404 (NR)', next, path: `${ref} .spec.http`, hint: 'noCatchAll' })];
  }
  const out: Assertion[] = [];
  const path = `${ref} .spec.http[${idx}].route`;
  const dests = routeShares(o.vs, idx);
  const loose = rulesWithoutConditions(http).filter((i) => i !== idx);
  if (loose.length > 0 && targetSubsets.length > 1) {
    const looseDest = loose.flatMap((i) => routeShares(o.vs, i).map((s) => s.subset ?? '(no subset)'));
    out.push(
      finding('MESH.WEIGHTS_SPLIT_ACROSS_RULES').fail({
        expected: `one rule whose route lists ${targetSubsets.join(' and ')} with weights`,
        actual: `rule http[${idx}] catches every request; rule(s) ${loose.map((i) => `http[${i}]`).join(', ')} (→ ${looseDest.join(', ')}) are never used`,
        next: `istioctl analyze -n ${o.vs.metadata.namespace}`,
        path: `${ref} .spec.http`,
      }),
    );
  }
  const foreign = dests.filter((s) => s.share > 0 && s.host !== o.host);
  if (foreign.length > 0) {
    out.push(finding('MESH.ROUTE_HOST', { host: o.host, short: o.host.split('.')[0] ?? o.host }).fail({ expected: `destination host ${o.host}`, actual: foreign.map((s) => s.host).join(', '), next, path }));
  }
  const noSubset = dests.filter((s) => s.share > 0 && s.subset === undefined);
  if (noSubset.length > 0) {
    out.push(finding('MESH.ROUTE_NO_SUBSET', { subsets: targetSubsets.join(', ') }).fail({ expected: `destinations with subset (${targetSubsets.join(', ')})`, actual: `route has no subset on ${noSubset.length} destination(s)`, next, path }));
  }
  const actual = sharesBySubset(dests);
  const keys = new Set<string | undefined>([...Object.keys(o.target), ...actual.keys()]);
  const off = [...keys].some((k) => Math.abs((actual.get(k) ?? 0) - (k === undefined ? 0 : (o.target[k] ?? 0))) > 0.005);
  out.push(
    off
      ? shares.fail({ expected: `${targetSubsets.map((k) => `${k} ${formatPercent(o.target[k]!)}`).join(', ')}; any other subset 0%`, actual: describeShares(dests), next, path })
      : shares.pass({ actual: describeShares(dests), path }),
  );
  const used = [...actual.entries()].filter(([k, p]) => p > 0 && k !== undefined).map(([k]) => k as string);
  out.push(...subsetFindings(o.dr, used, { host: o.host, pods: o.pods, serviceSelector: o.serviceSelector, path, next: `istioctl analyze -n ${o.vs.metadata.namespace}` }));
  return out;
}
