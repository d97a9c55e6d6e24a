import { fqdn, type VirtualService } from '../../check-api';

export const bookinfoNs = 'default';

/** The subsets each Bookinfo service needs in L03 (a route will use these) and may have. */
export const bookinfoSubsets: Record<string, { required: string[]; optional: string[] }> = {
  productpage: { required: ['v1'], optional: [] },
  reviews: { required: ['v1', 'v2', 'v3'], optional: [] },
  ratings: { required: ['v1'], optional: ['v2'] },
  details: { required: ['v1'], optional: ['v2'] },
};

export interface RouteTarget {
  rule: number;
  host: string;
  subset?: string;
  weight: number;
  catchAll: boolean;
}

/** Every weighted destination of a VS's http rules, hosts normalised to FQDN. */
export function routeTargets(vs: VirtualService): RouteTarget[] {
  return (vs.spec.http ?? []).flatMap((rule, i) => {
    const routes = rule.route ?? [];
    return routes.map((r) => ({
      rule: i,
      host: fqdn(r.destination.host, vs.metadata.namespace),
      subset: r.destination.subset,
      weight: routes.length === 1 ? 100 : (r.weight ?? 0),
      catchAll: !rule.match || rule.match.length === 0,
    }));
  });
}
