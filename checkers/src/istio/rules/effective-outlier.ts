import { parseIstioDuration } from '../istio-duration';
import type { ClusterPolicy } from './effective-traffic-policy';

type Outlier = NonNullable<ClusterPolicy['outlierDetection']>;

export interface EffectiveOutlierDetection {
  /** Consecutive 5xx (incl. locally originated failures) that eject a host; 0 = not by 5xx. */
  consecutive5xx: number;
  /** Consecutive 502/503/504 that eject a host; 0 = not by gateway errors. */
  consecutiveGatewayErrors: number;
  intervalMs: number;
  baseEjectionMs: number;
  /** Ejected hosts may not exceed this share of the cluster. */
  maxEjectionPercent: number;
  /** Below this share of healthy hosts Envoy ignores health ("panic"); 0 = never. */
  panicThresholdPercent: number;
  path: string;
}

/**
 * Envoy's outlier detection for a cluster whose merged traffic policy has `outlierDetection`
 * (pilot/pkg/networking/core/cluster_traffic_policy.go `applyOutlierDetection`, 1.30.3), with Envoy's
 * defaults for what istiod leaves unset (envoy.config.cluster.v3.OutlierDetection):
 * - `consecutive5xxErrors` unset: Envoy's 5, enforced at 100 %; set to 0: not enforced;
 * - `consecutiveGatewayErrors` unset: Envoy's enforcing_consecutive_gateway_failure default 0 (off);
 * - `interval` 10 s, `baseEjectionTime` 30 s, `maxEjectionPercent` 10 % unless set (0 counts as unset);
 * - success-rate ejection is always off;
 * - the panic threshold is `minHealthPercent`, whose default 0 disables Envoy's 50 % panic mode, so
 *   with every host ejected Envoy answers 503 "no healthy upstream" instead of using them anyway.
 * Returns undefined without `outlierDetection` (nothing is ejected).
 */
export function effectiveOutlierDetection(policy: ClusterPolicy | undefined, path = 'trafficPolicy.outlierDetection'): EffectiveOutlierDetection | undefined {
  const od: (Outlier & { minHealthPercent?: number; consecutiveErrors?: number }) | undefined = policy?.outlierDetection;
  if (!od) return undefined;
  return {
    consecutive5xx: od.consecutive5xxErrors ?? 5,
    consecutiveGatewayErrors: od.consecutiveGatewayErrors ?? 0,
    intervalMs: parseIstioDuration(od.interval) ?? 10_000,
    baseEjectionMs: parseIstioDuration(od.baseEjectionTime) ?? 30_000,
    maxEjectionPercent: od.maxEjectionPercent !== undefined && od.maxEjectionPercent > 0 ? od.maxEjectionPercent : 10,
    panicThresholdPercent: od.minHealthPercent !== undefined && od.minHealthPercent >= 0 ? od.minHealthPercent : 0,
    path,
  };
}

/** Whether an answer counts toward ejecting the host that gave it (a 5xx, or a gateway error under that rule). */
export function countsAsOutlierError(od: EffectiveOutlierDetection, status: number): { fiveXx: boolean; gateway: boolean } {
  return { fiveXx: od.consecutive5xx > 0 && status >= 500, gateway: od.consecutiveGatewayErrors > 0 && (status === 502 || status === 503 || status === 504) };
}
