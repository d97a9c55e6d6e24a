import { fail, pass, type Assertion, type DestinationRule, type VirtualService } from '../check-api';
import {
  catchAllIndex,
  describeShares,
  formatPercent,
  NO_SUBSET,
  routeShares,
  ruleIndicesWithoutConditions,
  sharesBySubset,
  vsRef,
} from './shared-virtual-service-routes';

/**
 * Assertions about the catch-all rule of a VirtualService: which subsets it sends traffic to, in what
 * relative share. Used by weighted routing (L05) and "reviews → v2" setups (L07).
 */
export interface CatchAllSharesOptions {
  /** Code prefix, e.g. "L05". */
  lab: string;
  vs: VirtualService;
  /** FQDN of the routed service (destinations must point at it). */
  fqdn: string;
  /** Expected share per subset; subsets not listed must get 0. */
  target: Record<string, number>;
  /** The DR for the host, to prove every subset that gets traffic exists (IST0101 otherwise). */
  dr: DestinationRule | undefined;
  /** What the lesson asks for, in words ("50 % v1 and 50 % v3"). */
  targetText: string;
}

export function catchAllShareAssertions(o: CatchAllSharesOptions): Assertion[] {
  const http = o.vs.spec.http ?? [];
  const out: Assertion[] = [];
  const idx = catchAllIndex(http);
  const title = `the catch-all rule sends ${o.targetText}`;
  if (idx < 0) {
    return [
      fail(`${o.lab}.ROUTE_SHARES`, title, {
        expected: `a rule without match whose route holds ${o.targetText}`,
        actual: http.length === 0 ? 'no http rules' : 'every rule has a match, so other requests get 404 (NR)',
        hint: 'Add a last rule without `match`; list the destinations with their weights in its `route`.',
        next: `kubectl get virtualservice -n ${o.vs.metadata.namespace} ${o.vs.metadata.name} -o yaml`,
        path: `${vsRef(o.vs)} .spec.http`,
      }),
    ];
  }
  const rule = http[idx]!;
  const path = `${vsRef(o.vs)} .spec.http[${idx}].route`;
  const shares = routeShares(rule, o.vs.metadata.namespace);

  const loose = ruleIndicesWithoutConditions(http).filter((i) => i !== idx);
  const targetSubsets = Object.keys(o.target).filter((k) => (o.target[k] ?? 0) > 0);
  if (loose.length > 0 && targetSubsets.length > 1) {
    const looseDest = loose.flatMap((i) => routeShares(http[i]!, o.vs.metadata.namespace).map((s) => s.subset ?? NO_SUBSET));
    out.push(
      fail(`${o.lab}.WEIGHTS_SPLIT_ACROSS_RULES`, 'all weighted destinations are in one rule', {
        expected: `one rule whose route lists ${targetSubsets.join(' and ')} with weights`,
        actual: `rule http[${idx}] catches every request; rule(s) ${loose.map((i) => `http[${i}]`).join(', ')} (→ ${looseDest.join(', ')}) are never used`,
        hint: 'Weights split traffic between the destinations of ONE rule. A second rule without match is unreachable (IST0130): move its destination into the first rule\'s `route` list.',
        next: `istioctl analyze -n ${o.vs.metadata.namespace}`,
        path: `${vsRef(o.vs)} .spec.http`,
      }),
    );
  }

  const foreign = shares.filter((s) => s.share > 0 && s.host !== o.fqdn);
  if (foreign.length > 0) {
    out.push(
      fail(`${o.lab}.ROUTE_HOST`, 'the route points at the same service', {
        expected: `destination host ${o.fqdn}`,
        actual: foreign.map((s) => s.host).join(', '),
        hint: `A destination host is resolved like the VS hosts; use \`${o.fqdn.split('.')[0]}\` (same namespace) or the full ${o.fqdn}.`,
        next: `kubectl get virtualservice -n ${o.vs.metadata.namespace} ${o.vs.metadata.name} -o yaml`,
        path,
      }),
    );
  }

  const noSubset = shares.filter((s) => s.share > 0 && s.subset === undefined);
  if (noSubset.length > 0) {
    out.push(
      fail(`${o.lab}.ROUTE_NO_SUBSET`, 'every destination names a subset', {
        expected: `destinations with subset (${targetSubsets.join(', ')})`,
        actual: `route has no subset on ${noSubset.length} destination(s)`,
        hint: 'A destination without `subset` goes to the whole Service, so its share spreads over all versions. Add `subset: v1` / `subset: v3`.',
        next: `kubectl get virtualservice -n ${o.vs.metadata.namespace} ${o.vs.metadata.name} -o yaml`,
        path,
      }),
    );
  }

  const actual = sharesBySubset(shares);
  const keys = new Set([...Object.keys(o.target), ...actual.keys()]);
  const mismatched = [...keys].filter((k) => Math.abs((actual.get(k) ?? 0) - (o.target[k] ?? 0)) > 0.005);
  const expectedText = Object.entries(o.target)
    .filter(([, p]) => p > 0)
    .map(([k, p]) => `${k} ${formatPercent(p)}`)
    .join(', ');
  if (mismatched.length > 0) {
    out.push(
      fail(`${o.lab}.ROUTE_SHARES`, title, {
        expected: `${expectedText}; any other subset 0%`,
        actual: describeShares(shares),
        hint: `Weights are relative: the share of a destination is its weight divided by the sum. This step expects ${o.targetText}.`,
        next: `kubectl get virtualservice -n ${o.vs.metadata.namespace} ${o.vs.metadata.name} -o yaml`,
        path,
      }),
    );
  } else {
    out.push(pass(`${o.lab}.ROUTE_SHARES`, title, { actual: describeShares(shares), path }));
  }

  // Every subset that receives traffic must exist in a DR, else Envoy has no cluster for the route and answers 503 with flag NC (IST0101).
  const used = [...actual.entries()].filter(([k, p]) => p > 0 && k !== NO_SUBSET).map(([k]) => k);
  const defined = new Set((o.dr?.spec.subsets ?? []).map((s) => s.name));
  const missing = used.filter((k) => !defined.has(k));
  if (missing.length > 0) {
    out.push(
      fail('IST0101', 'every routed subset is defined in the DestinationRule', {
        expected: `subsets ${used.join(', ')} in a DestinationRule for ${o.fqdn}`,
        actual: o.dr
          ? `DestinationRule ${o.dr.metadata.namespace}/${o.dr.metadata.name} defines ${[...defined].join(', ') || 'no subsets'}`
          : 'no DestinationRule for this host',
        hint: `Referenced host+subset in destinationrule not found: requests to subset ${missing.join(', ')} fail with 503 and flag NC (no cluster). Define it with label version: ${missing[0]}.`,
        next: `istioctl analyze -n ${o.vs.metadata.namespace}`,
        path,
      }),
    );
  }
  return out;
}
