import type { Gateway, VirtualService } from '../istio-schemas';
import { gatewayServerHost, hostMatches } from './host-names';

export interface HostOutsideGateway {
  host: string;
  /** Why the gateway never routes it, for the hint. */
  reason: string;
}

/**
 * VirtualService hosts its bound Gateway does not serve (Istio 1.30
 * pkg/config/analysis/analyzers/virtualservice/gateways.go, IST0132 VirtualServiceHostNotFoundInGateway):
 * a VS host must be covered by a server host of the Gateway (`*`, `*.example.com` or the same name;
 * a server host's `ns/` prefix limits which namespaces' VirtualServices it accepts).
 */
export function hostsOutsideGateway(vs: VirtualService, gateway: Gateway): HostOutsideGateway[] {
  const servers = gateway.spec.servers.flatMap((s) => s.hosts.map((entry) => ({ entry, host: gatewayServerHost(entry).toLowerCase(), ns: entry.includes('/') ? entry.slice(0, entry.indexOf('/')) : '*' })));
  const out: HostOutsideGateway[] = [];
  for (const raw of vs.spec.hosts) {
    const h = raw.toLowerCase();
    const covering = servers.filter((s) => hostMatches(s.host, h) || (h.startsWith('*.') && s.host === h));
    const allowed = covering.filter((s) => s.ns === '*' || (s.ns === '.' ? gateway.metadata.namespace : s.ns) === vs.metadata.namespace);
    if (allowed.length) continue;
    const serverList = servers.map((s) => s.entry).join(', ') || 'none';
    out.push({
      host: raw,
      reason: covering.length
        ? `the Gateway serves ${covering.map((s) => s.entry).join(', ')} only to VirtualServices in namespace ${covering.map((s) => (s.ns === '.' ? gateway.metadata.namespace : s.ns)).join(', ')}, not ${vs.metadata.namespace}`
        : `the Gateway's servers list ${serverList}, and none of them covers ${raw}`,
    });
  }
  return out;
}
