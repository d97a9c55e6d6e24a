import { hostMatches, normaliseWeights, type HttpMatch, type HttpRoute, type VirtualService } from '../check-api';
import { toFqdn } from './shared-mesh-hosts';

/** A VS with no `gateways` applies to sidecars ("mesh"); listing gateways without `mesh` removes the sidecars. */
export function bindsMesh(vs: VirtualService): boolean {
  const gws = vs.spec.gateways;
  return gws === undefined || gws.length === 0 || gws.includes('mesh');
}

/** The hosts of a VS, resolved to FQDN relative to its namespace. */
export function vsHostsFqdn(vs: VirtualService): string[] {
  return vs.spec.hosts.map((h) => toFqdn(h, vs.metadata.namespace));
}

/** Every VS (any namespace) that routes `fqdn` for sidecars; more than one is the IST0109 conflict. */
export function meshVirtualServicesFor(all: VirtualService[], fqdn: string): VirtualService[] {
  return all.filter((vs) => bindsMesh(vs) && vsHostsFqdn(vs).some((h) => hostMatches(h, fqdn)));
}

/** Does this match entry only narrow by gateway (so it still catches every request on that gateway)? */
function matchHasConditions(m: HttpMatch): boolean {
  return Object.entries(m).some(([k, v]) => k !== 'name' && k !== 'gateways' && v !== undefined);
}

function matchAppliesTo(m: HttpMatch, gateway: string): boolean {
  return m.gateways === undefined || m.gateways.length === 0 || m.gateways.includes(gateway);
}

/**
 * Index of the first rule that catches every request arriving through `gateway` (default: sidecars).
 * Rules after it are never used (IST0130).
 */
export function catchAllIndex(http: HttpRoute[] | undefined, gateway = 'mesh'): number {
  if (!http) return -1;
  return http.findIndex((r) => {
    const ms = r.match ?? [];
    if (ms.length === 0) return true;
    return ms.some((m) => matchAppliesTo(m, gateway) && !matchHasConditions(m));
  });
}

/** Indices of every rule without any match condition (a second one is unreachable). */
export function ruleIndicesWithoutConditions(http: HttpRoute[] | undefined): number[] {
  const out: number[] = [];
  (http ?? []).forEach((r, i) => {
    const ms = r.match ?? [];
    if (ms.length === 0 || ms.every((m) => !matchHasConditions(m))) out.push(i);
  });
  return out;
}

export interface DestinationShare {
  /** FQDN relative to the VS namespace. */
  host: string;
  subset: string | undefined;
  port: number | undefined;
  weight: number;
  /** 0..1; weights are relative (1/1 is 50/50); a lone destination gets everything whatever its weight. */
  share: number;
}

export function routeShares(rule: HttpRoute, vsNamespace: string): DestinationShare[] {
  const route = rule.route ?? [];
  const shares = normaliseWeights(route.map((d) => d.weight));
  return route.map((d, i) => ({
    host: toFqdn(d.destination.host, vsNamespace),
    subset: d.destination.subset,
    port: d.destination.port?.number,
    weight: route.length === 1 ? (d.weight ?? 100) : (d.weight ?? 0),
    share: shares[i] ?? 0,
  }));
}

/** Share per subset (summed when a subset appears twice); destinations without subset key as `(none)`. */
export function sharesBySubset(shares: DestinationShare[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of shares) {
    const k = s.subset ?? NO_SUBSET;
    out.set(k, (out.get(k) ?? 0) + s.share);
  }
  return out;
}
export const NO_SUBSET = '(no subset)';

export function describeShares(shares: DestinationShare[]): string {
  if (shares.length === 0) return 'no route';
  return shares
    .map((s) => `${s.subset ?? `${s.host} (no subset)`} ${formatPercent(s.share)}`)
    .join(', ');
}

export function formatPercent(p: number): string {
  const v = Math.round(p * 1000) / 10;
  return `${v}%`;
}

export type UserMatchKind = 'exact' | 'prefix' | 'regex';

/** How a match entry selects the logged-in user `user` through the `end-user` header productpage adds. */
export function endUserMatchKind(m: HttpMatch, user: string): UserMatchKind | undefined {
  const entry = Object.entries(m.headers ?? {}).find(([k]) => k.toLowerCase() === 'end-user');
  if (!entry) return undefined;
  const sm = entry[1];
  if (sm.exact !== undefined) return sm.exact === user ? 'exact' : undefined;
  if (sm.prefix !== undefined) return user.startsWith(sm.prefix) && sm.prefix !== '' ? 'prefix' : undefined;
  if (sm.regex !== undefined) {
    try {
      // Envoy regexes are full-match RE2; anchor to approximate that.
      return new RegExp(`^(?:${sm.regex})$`).test(user) ? 'regex' : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Index of the first rule that sends requests of `user` somewhere (a rule matching the user's header). */
export function firstUserRuleIndex(http: HttpRoute[] | undefined, user: string): number {
  return (http ?? []).findIndex((r) => (r.match ?? []).some((m) => endUserMatchKind(m, user) !== undefined));
}

/** Any `cookie` header match mentioning the user: the pre-1.5 docs recipe that no longer works. */
export function matchesOnCookie(http: HttpRoute[] | undefined): boolean {
  return (http ?? []).some((r) =>
    (r.match ?? []).some((m) => Object.keys(m.headers ?? {}).some((k) => k.toLowerCase() === 'cookie')),
  );
}

export function vsRef(vs: VirtualService): string {
  return `VirtualService ${vs.metadata.namespace}/${vs.metadata.name}`;
}
