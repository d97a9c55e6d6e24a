import type { VirtualService } from '../istio-schemas';
import { describeExportTo, visibleFrom } from './export-to';
import { boundGateways, gatewayRefText, sameGateway, type GatewayRef } from './gateway-refs';
import { hostMatches, isPartialServiceName, likelyMeantService, resolveHost } from './host-names';
import { kindRef } from './object-refs';

export interface VirtualServiceQuery {
  /** The host a client calls, already a FQDN (`serviceFqdn('reviews', 'default')`) or an external name. */
  host: string;
  /** Namespace of the calling proxy: decides what `exportTo` lets it see. */
  clientNamespace: string;
  /** `mesh` (sidecars, the default) or the Gateway whose proxies route the host. */
  gateway?: GatewayRef;
}

/** A VirtualService that looks meant for the host but does not apply, and why. */
export interface VirtualServiceMiss {
  vs: VirtualService;
  reason: 'hidden-by-export-to' | 'other-gateways' | 'resolves-elsewhere' | 'partial-name';
  /** The VS hosts as istiod resolves them. */
  resolvedHosts: string[];
  /** In the learner's terms, for `actual`. */
  detail: string;
  path: string;
}

export interface VirtualServicesForHost {
  /** Every VS istiod applies to the host for this client (more than one for `mesh` is IST0109). */
  applies: VirtualService[];
  misses: VirtualServiceMiss[];
}

export function resolvedVirtualServiceHosts(vs: VirtualService): string[] {
  return vs.spec.hosts.map((h) => resolveHost(h, vs.metadata.namespace));
}

/**
 * The VirtualServices that really route `host` for a client, by meaning (Istio 1.30
 * pilot/pkg/model/push_context.go `VirtualServicesForGateway` and the virtualServiceIndex built from
 * `exportTo`; hosts resolved with `ResolveShortnameToFQDN`, gateways with `resolveGatewayName`):
 * a VS applies when one of its resolved hosts covers the host, it binds the gateway (omitted
 * `gateways` = `mesh`), and its `exportTo` lets the client's namespace see it. `*` as a host only
 * counts on a Gateway (validation refuses it for the mesh).
 * Near misses (same short name resolved elsewhere, `name.ns` written, other gateways, hidden by
 * exportTo) come back in `misses` so a hint can name the cause and the FQDN istiod resolved.
 */
export function virtualServicesForHost(all: VirtualService[], q: VirtualServiceQuery): VirtualServicesForHost {
  const gateway = q.gateway ?? 'mesh';
  const target = q.host.toLowerCase();
  const short = target.split('.')[0] ?? target;
  const applies: VirtualService[] = [];
  const misses: VirtualServiceMiss[] = [];
  for (const vs of all) {
    const resolved = resolvedVirtualServiceHosts(vs);
    const path = `${kindRef('VirtualService', vs)} .spec.hosts`;
    const covers = resolved.some((h) => hostMatches(h, target) && (h !== '*' || gateway !== 'mesh'));
    if (!covers) {
      const partial = vs.spec.hosts.find((h) => isPartialServiceName(h) && likelyMeantService(h) === target);
      if (partial) misses.push({ vs, reason: 'partial-name', resolvedHosts: resolved, detail: `${kindRef('VirtualService', vs)} lists host ${partial}, which istiod takes literally`, path });
      else if (vs.spec.hosts.some((h) => h.toLowerCase() === short || h.toLowerCase().startsWith(`${short}.`)))
        misses.push({ vs, reason: 'resolves-elsewhere', resolvedHosts: resolved, detail: `${kindRef('VirtualService', vs)} resolves its hosts to ${resolved.join(', ')}`, path });
      continue;
    }
    if (!boundGateways(vs).some((g) => sameGateway(g, gateway))) {
      misses.push({ vs, reason: 'other-gateways', resolvedHosts: resolved, detail: `${kindRef('VirtualService', vs)} binds gateways ${boundGateways(vs).map(gatewayRefText).join(', ')}, not ${gatewayRefText(gateway)}`, path: `${kindRef('VirtualService', vs)} .spec.gateways` });
      continue;
    }
    if (!visibleFrom(vs.spec.exportTo, vs.metadata.namespace, q.clientNamespace)) {
      misses.push({ vs, reason: 'hidden-by-export-to', resolvedHosts: resolved, detail: `${kindRef('VirtualService', vs)} is exported to ${describeExportTo(vs.spec.exportTo, vs.metadata.namespace)}, not to ${q.clientNamespace}`, path: `${kindRef('VirtualService', vs)} .spec.exportTo` });
      continue;
    }
    applies.push(vs);
  }
  return { applies, misses };
}
