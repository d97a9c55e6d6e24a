/** Cluster DNS suffix; kind and our overlay keep the default. */
export const clusterDomain = 'cluster.local';

/**
 * Normalises a host as Istio does for VS/DR hosts: a short name is relative to the object's
 * namespace (`reviews` in ns default → `reviews.default.svc.cluster.local`); `name.ns` gains
 * `.svc.cluster.local`; FQDNs, external names and wildcards are kept (lower-cased).
 */
export function fqdn(host: string, namespace: string): string {
  const h = host.trim().toLowerCase().replace(/\.$/, '');
  if (h === '*' || h.startsWith('*.')) return h;
  if (h.endsWith(`.svc.${clusterDomain}`)) return h;
  const parts = h.split('.');
  if (parts.length === 1) return `${h}.${namespace}.svc.${clusterDomain}`;
  if (parts.length === 2) return `${h}.svc.${clusterDomain}`;
  if (parts.length === 3 && parts[2] === 'svc') return `${h}.${clusterDomain}`;
  return h;
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
