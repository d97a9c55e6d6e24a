import type { V1Pod, V1Service } from '@kubernetes/client-node';
import { gatewayServerHost, hostMatches, isRunning, selectorMatches, type Gateway, type GatewayServer } from '../../check-api';

export const httpbinHostName = 'httpbin.example.com';
export const introNs = 'intro';

export function serverHosts(server: GatewayServer): string[] {
  return server.hosts.map((h) => gatewayServerHost(h).toLowerCase());
}

/** Gateways that serve the host by name (not merely through `*`). */
export function gatewaysNaming(gateways: Gateway[], host: string): Gateway[] {
  return gateways.filter((g) => g.spec.servers.some((s) => serverHosts(s).includes(host)));
}

/** The learner's gateway, by meaning: names the host; else a wildcard one in intro; else anything in intro. */
export function findHttpbinGateway(gateways: Gateway[]): { gateway?: Gateway; byWildcard: boolean } {
  const named = gatewaysNaming(gateways, httpbinHostName);
  const pick = named.find((g) => g.metadata.namespace === introNs) ?? named[0];
  if (pick) return { gateway: pick, byWildcard: false };
  const inIntro = gateways.filter((g) => g.metadata.namespace === introNs);
  const wildcard = inIntro.find((g) => g.spec.servers.some((s) => serverHosts(s).some((h) => hostMatches(h, httpbinHostName))));
  return { gateway: wildcard ?? inIntro[0], byWildcard: Boolean(wildcard) };
}

/** Running pods the Gateway's selector picks (in any namespace, as istiod does by default). */
export function selectedPods(gateway: Gateway, pods: V1Pod[]): V1Pod[] {
  const selector = gateway.spec.selector ?? {};
  if (Object.keys(selector).length === 0) return [];
  return pods.filter((p) => isRunning(p) && selectorMatches(selector, p.metadata?.labels));
}

/** Ports a gateway server may listen on: the Service port or its targetPort (istiod maps one to the other). */
export function exposedPorts(services: V1Service[], pods: V1Pod[]): Set<number> {
  const ports = new Set<number>();
  for (const svc of services) {
    const sel = svc.spec?.selector;
    if (!sel || !pods.some((p) => selectorMatches(sel, p.metadata?.labels) && p.metadata?.namespace === svc.metadata?.namespace)) continue;
    for (const port of svc.spec?.ports ?? []) {
      ports.add(port.port);
      if (typeof port.targetPort === 'number') ports.add(port.targetPort);
    }
  }
  return ports;
}
