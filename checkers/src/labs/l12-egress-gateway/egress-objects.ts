import {
  gatewayServerHost,
  hostMatches,
  livePods,
  resolveGatewayRef,
  serviceFqdn,
  type CheckContext,
  type Gateway,
} from '../../check-api';
import type { V1Pod } from '@kubernetes/client-node';

export const externalHost = 'api.example.com';
export const egressFqdn = serviceFqdn('istio-egressgateway', 'istio-system');

export function gwRef(gw: Gateway): string {
  return `Gateway ${gw.metadata.namespace}/${gw.metadata.name}`;
}

/** Gateways with a server whose hosts cover api.example.com (`ns/host` prefixes stripped). */
export function gatewaysForExternalHost(all: Gateway[]): Gateway[] {
  // A bare `*` (e.g. bookinfo-gateway on the ingress) covers every host; count it only on an egress selector.
  const covers = (g: Gateway, h: string) => {
    const host = gatewayServerHost(h).toLowerCase();
    if (host === '*') return g.spec.selector?.['istio'] === 'egressgateway';
    return hostMatches(host, externalHost);
  };
  return all.filter((g) => g.spec.servers.some((s) => s.hosts.some((h) => covers(g, h))));
}

export function selectorString(selector: Record<string, string> | undefined): string {
  return Object.entries(selector ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export function isEgressGatewayPod(pod: V1Pod): boolean {
  const l = pod.metadata?.labels ?? {};
  return l['istio'] === 'egressgateway' || l['app'] === 'istio-egressgateway';
}

/** Live pods (any namespace) a Gateway's selector picks. */
export async function podsSelectedBy(ctx: Pick<CheckContext, 'cluster'>, gw: Gateway): Promise<V1Pod[]> {
  const sel = selectorString(gw.spec.selector);
  if (!sel) return [];
  return livePods(await ctx.cluster.pods(undefined, sel));
}

/** Does a VS `gateways` entry (resolved relative to the VS namespace) name this Gateway? */
export function refersTo(ref: string, vsNamespace: string, gw: Gateway): boolean {
  const r = resolveGatewayRef(ref, vsNamespace);
  return r !== 'mesh' && r.namespace === gw.metadata.namespace && r.name === gw.metadata.name;
}
