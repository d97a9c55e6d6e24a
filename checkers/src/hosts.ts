/** Cluster DNS suffix; kind and our overlay keep the default. */
export const clusterDomain = 'cluster.local';

/**
 * Normalises a host as istiod does for VS/DR/SE hosts and route destinations
 * (ResolveShortnameToFQDN): only a name without a dot is relative to the object's namespace
 * (`reviews` in ns default → `reviews.default.svc.cluster.local`). Anything with a dot is taken
 * as written: `reviews.default` is NOT the reviews Service to istiod (it names no registry
 * entry, so routes for it never apply to reviews traffic), even though DNS would resolve it.
 * Lower-cased, trailing dot dropped.
 */
export function fqdn(host: string, namespace: string): string {
  const h = host.trim().toLowerCase().replace(/\.$/, '');
  if (h === '*' || h.includes('.')) return h;
  return `${h}.${namespace}.svc.${clusterDomain}`;
}

/**
 * True for the forms that DNS resolves but istiod does not expand (`name.ns`, `name.ns.svc`):
 * a learner who writes them gets no routing, so checks explain it instead of saying "missing".
 */
export function isPartialServiceName(host: string): boolean {
  const parts = host.trim().toLowerCase().replace(/\.$/, '').split('.');
  return parts.length === 2 || (parts.length === 3 && parts[2] === 'svc');
}

/** The in-cluster FQDN of a Service. */
export function serviceFqdn(name: string, namespace: string): string {
  return `${name}.${namespace}.svc.${clusterDomain}`;
}

/** True when `pattern` (exact or `*` / `*.suffix` wildcard, already normalised) covers `host`. */
export function hostMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p === '*') return true;
  if (p.startsWith('*.')) return h.endsWith(p.slice(1)) && h.length > p.length - 1;
  return p === h;
}

/**
 * Gateway server hosts may carry a namespace prefix (`ns/host`, `./host`, `*\/host`).
 * Returns the host part only.
 */
export function gatewayServerHost(entry: string): string {
  const slash = entry.indexOf('/');
  return slash >= 0 ? entry.slice(slash + 1) : entry;
}
