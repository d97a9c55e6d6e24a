import type { ClusterPolicy } from './effective-traffic-policy';

/** Envoy's cluster lb_policy values Istio sets. */
export type EnvoyLbPolicy = 'LEAST_REQUEST' | 'ROUND_ROBIN' | 'RANDOM' | 'CLUSTER_PROVIDED' | 'RING_HASH' | 'MAGLEV';

export type HashKey = { header: string } | { cookie: string } | { sourceIp: true } | { queryParameter: string };

export interface EffectiveLoadBalancer {
  lbPolicy: EnvoyLbPolicy;
  /** What the route hashes on when lbPolicy is RING_HASH or MAGLEV. */
  hashKey?: HashKey;
  path: string;
}

/**
 * The load balancer Envoy uses for a cluster, from the merged DestinationRule policy
 * (pilot/pkg/networking/core/cluster_traffic_policy.go `applyLoadBalancer`, `defaultLBAlgorithm`,
 * `ApplyRingHashLoadBalancer`, 1.30.3): `simple` LEAST_REQUEST (or the deprecated LEAST_CONN), RANDOM,
 * ROUND_ROBIN or PASSTHROUGH (original destination, CLUSTER_PROVIDED); unset → LEAST_REQUEST, Istio's
 * default. A `consistentHash` overrides it with RING_HASH (MAGLEV when `maglev` is set) and the route hashes
 * on the header, cookie, source IP or query parameter it names (route.go `consistentHashToHashPolicy`).
 * In istiod's config_dump, ROUND_ROBIN is Envoy's proto default and so absent from the JSON.
 */
export function effectiveLoadBalancer(policy: ClusterPolicy | undefined, path = 'trafficPolicy.loadBalancer'): EffectiveLoadBalancer {
  const lb = policy?.loadBalancer;
  const hash = lb?.consistentHash as (NonNullable<NonNullable<ClusterPolicy['loadBalancer']>['consistentHash']> & { maglev?: unknown }) | undefined;
  if (hash) {
    const hashKey: HashKey | undefined =
      hash.httpHeaderName !== undefined
        ? { header: hash.httpHeaderName.toLowerCase() }
        : hash.httpCookie?.name !== undefined
          ? { cookie: hash.httpCookie.name }
          : hash.useSourceIp
            ? { sourceIp: true }
            : hash.httpQueryParameterName !== undefined
              ? { queryParameter: hash.httpQueryParameterName }
              : undefined;
    return { lbPolicy: hash.maglev ? 'MAGLEV' : 'RING_HASH', ...(hashKey ? { hashKey } : {}), path: `${path}.consistentHash` };
  }
  switch (lb?.simple) {
    case 'RANDOM':
      return { lbPolicy: 'RANDOM', path: `${path}.simple` };
    case 'ROUND_ROBIN':
      return { lbPolicy: 'ROUND_ROBIN', path: `${path}.simple` };
    case 'PASSTHROUGH':
      return { lbPolicy: 'CLUSTER_PROVIDED', path: `${path}.simple` };
    default:
      return { lbPolicy: 'LEAST_REQUEST', path: lb?.simple ? `${path}.simple` : path };
  }
}
