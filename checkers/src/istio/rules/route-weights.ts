import type { HttpMatch, HttpRoute, VirtualService } from '../istio-schemas';
import { resolveHost } from './host-names';
import { kindRef } from './object-refs';

export interface DestinationShare {
  /** Destination host resolved relative to the VirtualService's namespace. */
  host: string;
  subset: string | undefined;
  port: number | undefined;
  /** As written (a lone destination without weight reads 100). */
  weight: number;
  /** 0..1 of the rule's traffic. */
  share: number;
  /** `VirtualService ns/name .spec.http[i].route[j]` */
  path: string;
}

/**
 * The share of a rule's traffic each destination gets (Istio 1.30
 * pilot/pkg/networking/core/route/route.go `translateRoute`, pkg/config/validation `validateHTTPRouteDestinations`):
 * a lone destination gets everything whatever its weight; otherwise weights are relative (Envoy sums them,
 * so 1/1 is 50/50 and 100 is not required), and a destination with weight 0 (or none) gets nothing.
 */
export function routeShares(vs: VirtualService, ruleIndex: number): DestinationShare[] {
  const rule = vs.spec.http?.[ruleIndex];
  const route = rule?.route ?? [];
  const total = route.reduce((a, d) => a + (d.weight ?? 0), 0);
  return route.map((d, j) => ({
    host: resolveHost(d.destination.host, vs.metadata.namespace),
    subset: d.destination.subset,
    port: d.destination.port?.number,
    weight: route.length === 1 ? (d.weight ?? 100) : (d.weight ?? 0),
    share: route.length === 1 ? 1 : total > 0 ? (d.weight ?? 0) / total : 0,
    path: `${kindRef('VirtualService', vs)} .spec.http[${ruleIndex}].route[${j}]`,
  }));
}

/** Share per subset (summed when a subset appears twice); a destination without subset keys as `undefined`. */
export function sharesBySubset(shares: DestinationShare[]): Map<string | undefined, number> {
  const out = new Map<string | undefined, number>();
  for (const s of shares) out.set(s.subset, (out.get(s.subset) ?? 0) + s.share);
  return out;
}

function matchHasConditions(m: HttpMatch): boolean {
  return Object.entries(m).some(([k, v]) => k !== 'name' && k !== 'gateways' && v !== undefined);
}

/**
 * Index of the first rule that catches every request arriving through `gateway` (default: sidecars),
 * or -1. Rules after it are never used (IST0130 VirtualServiceUnreachableRule).
 */
export function catchAllIndex(http: HttpRoute[] | undefined, gateway = 'mesh'): number {
  return (http ?? []).findIndex((r) => {
    const ms = r.match ?? [];
    if (ms.length === 0) return true;
    return ms.some((m) => (m.gateways === undefined || m.gateways.length === 0 || m.gateways.includes(gateway)) && !matchHasConditions(m));
  });
}

/** Indices of every rule without any match condition (a second one is unreachable). */
export function rulesWithoutConditions(http: HttpRoute[] | undefined): number[] {
  const out: number[] = [];
  (http ?? []).forEach((r, i) => {
    const ms = r.match ?? [];
    if (ms.length === 0 || ms.every((m) => !matchHasConditions(m))) out.push(i);
  });
  return out;
}

export function formatPercent(p: number): string {
  return `${Math.round(p * 1000) / 10}%`;
}

export function describeShares(shares: DestinationShare[]): string {
  if (shares.length === 0) return 'no route';
  return shares.map((s) => `${s.subset ?? `${s.host} (no subset)`} ${formatPercent(s.share)}`).join(', ');
}
