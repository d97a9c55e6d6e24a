import type { DashboardAddon } from './dashboard-addons';

export type UpstreamPath = { ok: true; path: string } | { ok: false; reason: string };

const maxPathLength = 2048;

/**
 * Maps a request path under an addon's mount (as the browser sent it, still percent-encoded) to
 * the upstream path behind the API server's service proxy. The result is appended to
 * `/api/v1/namespaces/<ns>/services/<svc>:<port>/proxy`, so a `..` segment (or one that decodes
 * to `..`, `/` or `\`) could climb out of the service and reach the API server with the learner's
 * credentials: such paths are refused, not cleaned up.
 */
export function upstreamPath(addon: Pick<DashboardAddon, 'mount' | 'upstreamPrefix'>, pathname: string): UpstreamPath {
  if (pathname.length > maxPathLength) return { ok: false, reason: `the path is longer than ${maxPathLength} characters` };
  const bare = addon.mount.replace(/\/$/, '');
  let rest: string;
  if (pathname === bare || pathname === addon.mount) rest = '';
  else if (pathname.startsWith(addon.mount)) rest = pathname.slice(addon.mount.length);
  else return { ok: false, reason: `the path is not under ${addon.mount}` };
  for (const segment of rest.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return { ok: false, reason: 'the path has a malformed percent-escape' };
    }
    if (decoded === '.' || decoded === '..') return { ok: false, reason: 'the path may not contain "." or ".." segments' };
    if (decoded.includes('/') || decoded.includes('\\')) return { ok: false, reason: 'the path may not contain encoded slashes or backslashes' };
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    if (/[\u0000-\u001f\u007f]/.test(decoded)) return { ok: false, reason: 'the path may not contain control characters' };
  }
  if (rest.includes('//')) return { ok: false, reason: 'the path may not contain empty segments' };
  return { ok: true, path: addon.upstreamPrefix + rest };
}

/**
 * The inverse for what comes back: a path the upstream (or the API server's HTML rewriting, which
 * prefixes absolute links with the proxy path) put in a link or a Location header, mapped to where
 * the browser reaches it on the portal. Paths that already carry the public mount (Grafana and
 * Prometheus are told it) stay as they are.
 */
export function publicPath(addon: Pick<DashboardAddon, 'mount' | 'upstreamPrefix'>, upstream: string): string {
  if (upstream.startsWith(addon.mount) || upstream === addon.mount.replace(/\/$/, '')) return upstream;
  if (upstream.startsWith(addon.upstreamPrefix)) return addon.mount + upstream.slice(addon.upstreamPrefix.length);
  return upstream;
}
