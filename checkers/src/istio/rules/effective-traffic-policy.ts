import type { DestinationRule } from '../istio-schemas';

type TrafficPolicy = NonNullable<DestinationRule['spec']['trafficPolicy']>;

/** The parts of a DestinationRule traffic policy the cluster builder applies. */
export type ClusterPolicy = Pick<TrafficPolicy, 'connectionPool' | 'loadBalancer' | 'outlierDetection' | 'tls'>;

interface PortLevel extends ClusterPolicy {
  port?: { number?: number };
}

function portLevel(policy: TrafficPolicy | undefined, port: number | undefined): { policy: ClusterPolicy | undefined; hasPortLevel: boolean } {
  if (!policy) return { policy: undefined, hasPortLevel: false };
  const settings = ((policy as { portLevelSettings?: PortLevel[] }).portLevelSettings ?? []).find((s) => port !== undefined && s.port?.number === port);
  if (!settings) return { policy, hasPortLevel: false };
  // Port-level settings do not inherit from the destination level: omitted parts fall back to defaults.
  const { connectionPool, loadBalancer, outlierDetection, tls } = settings;
  return { policy: { connectionPool, loadBalancer, outlierDetection, tls }, hasPortLevel: true };
}

/**
 * The traffic policy one upstream cluster (`outbound|port|subset|host`) gets from its DestinationRule
 * (pilot/pkg/networking/util/util.go `MergeSubsetTrafficPolicy` and `GetPortLevelTrafficPolicy`, 1.30.3):
 * the matching `portLevelSettings` entry replaces the top-level policy; a subset's policy is merged over
 * that one part at a time (connectionPool, outlierDetection, loadBalancer, tls), a subset's port-level entry
 * replacing all four. A part nobody sets stays undefined (Envoy's and Istio's defaults apply).
 */
export function effectiveTrafficPolicy(dr: DestinationRule | undefined, subset: string | undefined, port?: number): ClusterPolicy {
  if (!dr) return {};
  const top = portLevel(dr.spec.trafficPolicy, port).policy;
  const subsetDef = subset === undefined ? undefined : dr.spec.subsets?.find((s) => s.name === subset);
  const sub = portLevel(subsetDef?.trafficPolicy, port);
  if (!sub.policy) return { ...top };
  if (!top) return { ...sub.policy };
  const merged: ClusterPolicy = { ...top };
  for (const k of ['connectionPool', 'outlierDetection', 'loadBalancer', 'tls'] as const) {
    if (sub.policy[k] !== undefined || sub.hasPortLevel) (merged as Record<string, unknown>)[k] = sub.policy[k];
  }
  return merged;
}
