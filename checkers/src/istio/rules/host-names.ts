/** Cluster DNS suffix; kind and our overlay keep the default. */
export const clusterDomain = 'cluster.local';

/**
 * A host of a VirtualService, DestinationRule or ServiceEntry, or a route destination, resolved as
 * istiod does (Istio 1.30 pilot/pkg/model/config.go `ResolveShortnameToFQDN`): `*` and IP addresses
 * stay as written; a name without a dot gets `.<namespace of the object>.svc.cluster.local`; anything
 * with a dot is taken literally, so `reviews.default` is NOT the reviews Service to istiod even though
 * DNS would resolve it. Lower-cased, trailing dot dropped.
 */
export function resolveHost(host: string, objectNamespace: string): string {
  const h = host.trim().toLowerCase().replace(/\.$/, '');
  if (h === '*' || h.includes('.') || h.includes(':') || objectNamespace === '') return h;
  return `${h}.${objectNamespace}.svc.${clusterDomain}`;
}

/** The in-cluster FQDN of a Service. */
export function serviceFqdn(name: string, namespace: string): string {
  return `${name}.${namespace}.svc.${clusterDomain}`;
}

/**
 * True for the forms DNS resolves but istiod does not expand (`name.ns`, `name.ns.svc`): a learner
 * who writes them gets no routing, so checks explain it instead of saying "missing".
 */
export function isPartialServiceName(host: string): boolean {
  const parts = host.trim().toLowerCase().replace(/\.$/, '').split('.');
  return parts.length === 2 || (parts.length === 3 && parts[2] === 'svc');
}

/** The Service FQDN a partial name (`reviews.default`, `reviews.default.svc`) probably meant. */
export function likelyMeantService(host: string): string | undefined {
  const m = /^([a-z0-9-]+)\.([a-z0-9-]+)(\.svc)?$/.exec(host.trim().toLowerCase().replace(/\.$/, ''));
  return m ? serviceFqdn(m[1]!, m[2]!) : undefined;
}

/** True when `pattern` (exact, `*` or `*.suffix`, already resolved) covers `host` (Istio host.Name.Matches). */
export function hostMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p === '*') return true;
  if (p.startsWith('*.')) return h.endsWith(p.slice(1)) && h.length > p.length - 1;
  return p === h;
}

/** Gateway server hosts may carry a namespace prefix (`ns/host`, `./host`, `*\/host`); the host part. */
export function gatewayServerHost(entry: string): string {
  const slash = entry.indexOf('/');
  return slash >= 0 ? entry.slice(slash + 1) : entry;
}
