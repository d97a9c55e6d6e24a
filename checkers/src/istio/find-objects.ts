import { fqdn, hostMatches } from '../hosts';
import type { DestinationRule, Gateway, VirtualService } from './istio-schemas';

/** `ns/name` of any object with metadata. */
export function refOf(obj: { metadata: { name: string; namespace: string } }): string {
  return `${obj.metadata.namespace}/${obj.metadata.name}`;
}

/** True when every key=value of `selector` is among `labels` (an empty selector matches everything). */
export function selectorMatches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
}

/** VS `hosts` normalised to FQDN relative to the VS's namespace. */
export function virtualServiceHosts(vs: VirtualService): string[] {
  return vs.spec.hosts.map((h) => fqdn(h, vs.metadata.namespace));
}

/**
 * The VirtualServices that route `host` (short or FQDN, relative to `hostNamespace`), found by
 * meaning: any VS in any namespace whose normalised hosts cover it. `mesh` limits the result to
 * VS that apply to sidecars (no `gateways`, or `mesh` listed).
 */
export function virtualServicesForHost(
  list: VirtualService[],
  host: string,
  hostNamespace: string,
  options: { mesh?: boolean } = {},
): VirtualService[] {
  const target = fqdn(host, hostNamespace);
  return list.filter((vs) => {
    if (options.mesh && !appliesToMesh(vs)) return false;
    return virtualServiceHosts(vs).some((h) => hostMatches(h, target) && !(h === '*' && target !== '*'));
  });
}

/** A VS applies to sidecars when it names no gateways, or lists `mesh`. */
export function appliesToMesh(vs: VirtualService): boolean {
  const gateways = vs.spec.gateways;
  return !gateways || gateways.length === 0 || gateways.includes('mesh');
}

/** DestinationRules whose (normalised) host is `host`. */
export function destinationRulesForHost(list: DestinationRule[], host: string, hostNamespace: string): DestinationRule[] {
  const target = fqdn(host, hostNamespace);
  return list.filter((dr) => fqdn(dr.spec.host, dr.metadata.namespace) === target);
}

/**
 * Resolves a VS `gateways` entry as istiod does: `mesh`, `ns/name`, or a bare name relative to
 * the VS's namespace (IST0101 when that gateway does not exist there).
 */
export function resolveGatewayRef(ref: string, vsNamespace: string): { namespace: string; name: string } | 'mesh' {
  if (ref === 'mesh') return 'mesh';
  const slash = ref.indexOf('/');
  if (slash >= 0) return { namespace: ref.slice(0, slash), name: ref.slice(slash + 1) };
  // A dotted form `name.ns.svc.cluster.local` is legacy; treat the first label as name.
  const dotted = ref.split('.');
  if (dotted.length > 1) return { namespace: dotted[1] ?? vsNamespace, name: dotted[0] ?? ref };
  return { namespace: vsNamespace, name: ref };
}

/** The Gateway a VS `gateways` entry points at, if it exists in `gateways`. */
export function findGateway(gateways: Gateway[], ref: string, vsNamespace: string): Gateway | undefined {
  const resolved = resolveGatewayRef(ref, vsNamespace);
  if (resolved === 'mesh') return undefined;
  return gateways.find((g) => g.metadata.namespace === resolved.namespace && g.metadata.name === resolved.name);
}
