import type { DestinationRule } from '../istio-schemas';
import { visibleFrom } from './export-to';
import { hostMatches, resolveHost } from './host-names';

/** Istio's default root (config) namespace, `meshConfig.rootNamespace`. */
export const rootNamespace = 'istio-system';

export interface DestinationRuleQuery {
  /** FQDN of the called host. */
  host: string;
  /** Namespace of the calling proxy. */
  clientNamespace: string;
  /** Namespace of the Service behind the host (undefined for external hosts). */
  serviceNamespace?: string;
  rootNamespace?: string;
}

export interface AppliedDestinationRule {
  /** The rule whose settings the client gets; undefined when none applies. */
  dr: DestinationRule | undefined;
  /** Where istiod found it. */
  level?: 'client-namespace' | 'service-namespace' | 'root-namespace';
  /** Every rule of that level for the same most specific host: more than one is a duplicate to fix. */
  sameLevel: DestinationRule[];
  /** Rules for the host that exist but do not apply to this client (shadowed or not exported). */
  ignored: DestinationRule[];
}

function mostSpecific(candidates: DestinationRule[], host: string): DestinationRule[] {
  const scored = candidates
    .map((dr) => ({ dr, h: resolveHost(dr.spec.host, dr.metadata.namespace) }))
    .filter(({ h }) => hostMatches(h, host));
  const exact = scored.filter(({ h }) => h === host);
  if (exact.length) return exact.map(({ dr }) => dr);
  // Longest wildcard wins (MostSpecificHostMatch).
  const best = Math.max(-1, ...scored.map(({ h }) => h.length));
  return scored.filter(({ h }) => h.length === best).map(({ dr }) => dr);
}

/** Oldest first, as istiod merges duplicates (the first keeps its subsets and policy). */
function byAge(list: DestinationRule[]): DestinationRule[] {
  const t = (dr: DestinationRule) => (dr.metadata.creationTimestamp ? new Date(dr.metadata.creationTimestamp).getTime() : 0);
  return [...list].sort((a, b) => t(a) - t(b) || a.metadata.name.localeCompare(b.metadata.name));
}

/**
 * The DestinationRule a client gets for a host (Istio 1.30 pilot/pkg/model/push_context.go
 * `destinationRule`): first a rule in the client's own namespace (any exportTo that includes it),
 * then one exported from the Service's namespace, then one exported from the root namespace; within a
 * level the most specific host wins (exact over `*.suffix`). Rules in any other namespace never apply.
 * istiod merges same-host duplicates of one level; checks treat more than one as "keep one".
 */
export function destinationRuleFor(all: DestinationRule[], q: DestinationRuleQuery): AppliedDestinationRule {
  const root = q.rootNamespace ?? rootNamespace;
  const host = q.host.toLowerCase();
  const forHost = all.filter((dr) => hostMatches(resolveHost(dr.spec.host, dr.metadata.namespace), host));
  const visible = (dr: DestinationRule) => visibleFrom(dr.spec.exportTo, dr.metadata.namespace, q.clientNamespace);
  const levels: Array<[AppliedDestinationRule['level'], string | undefined]> = [
    ['client-namespace', q.clientNamespace],
    ['service-namespace', q.serviceNamespace],
    ['root-namespace', root],
  ];
  for (const [level, ns] of levels) {
    if (ns === undefined) continue;
    const here = mostSpecific(
      forHost.filter((dr) => dr.metadata.namespace === ns && visible(dr)),
      host,
    );
    if (here.length) {
      const ordered = byAge(here);
      return { dr: ordered[0], level, sameLevel: ordered, ignored: forHost.filter((dr) => !here.includes(dr)) };
    }
  }
  return { dr: undefined, sameLevel: [], ignored: forHost };
}

/** Every DR whose host resolves exactly to `host`, in any namespace (for "one DR per host" steps). */
export function destinationRulesNaming(all: DestinationRule[], host: string): DestinationRule[] {
  return all.filter((dr) => resolveHost(dr.spec.host, dr.metadata.namespace) === host.toLowerCase());
}
