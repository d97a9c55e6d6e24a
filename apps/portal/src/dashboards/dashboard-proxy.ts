import type http from 'node:http';
import { Readable } from 'node:stream';
import type { KubeConfig } from '@kubernetes/client-node';
import { dashboardAddons, isDashboardAddonId, serviceProxyBase, writeMethods, type DashboardAddon } from './dashboard-addons';
import { publicPath, upstreamPath } from './dashboard-path';
import { noClusterMessage } from './dashboard-words';
import { ClusterUnreachableError, requestThroughApiServer } from './kube-service-proxy';
import { loadKubeConfig } from './kubeconfig-cache';
import { readBodyText } from '../api/json-body';
import { readBounded } from './read-bounded';

/** The largest body a dashboard may send: a saved Grafana dashboard is tens of KiB, a panel query a few. */
const maxWriteBytes = 2 * 1024 * 1024;

/** Where the learner's cluster is: none (a sandboxed shell only), or a kubeconfig file. */
export type DashboardCluster = { kind: 'none' } | { kind: 'kubeconfig'; path: string } | { kind: 'config'; kc: KubeConfig };

export interface DashboardProxyLimits {
  /** Upper bound on one request, headers and body (ms). */
  timeoutMs: number;
  /** Upper bound on one streamed answer (bytes); the stream is cut there. */
  maxBytes: number;
  /** Upper bound on an HTML page, which is read whole to map its links. */
  maxHtmlBytes: number;
}

export const dashboardProxyLimits: DashboardProxyLimits = { timeoutMs: 30_000, maxBytes: 32 * 1024 * 1024, maxHtmlBytes: 4 * 1024 * 1024 };

export { noClusterMessage };

/** Request headers an addon may see. Never cookies or authorization: those are the learner's for the portal. */
const forwardedRequestHeaders = ['accept', 'accept-language', 'if-none-match', 'if-modified-since', 'cache-control'];

/** Response headers the browser may see. Never set-cookie: an addon must not set cookies on the portal's origin. */
const forwardedResponseHeaders = ['content-type', 'cache-control', 'etag', 'last-modified', 'expires', 'content-language', 'content-encoding'];

/**
 * The addon pages run their own scripts (Kiali, Grafana and Jaeger are single-page apps; Grafana
 * and Kiali need eval), only from the portal's origin, and may be framed only by the portal.
 */
export const dashboardContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

/**
 * Serves one browser request for an addon UI in the learner's cluster, through the API server's
 * service proxy. The caller has already decided who the learner is and which cluster is theirs.
 */
export async function serveDashboard(
  request: Request,
  addonId: string,
  cluster: DashboardCluster,
  limits: DashboardProxyLimits = dashboardProxyLimits,
): Promise<Response> {
  if (!isDashboardAddonId(addonId)) return problem(request, 404, 'not-found', `no dashboard called "${addonId}"`);
  const addon: DashboardAddon = dashboardAddons[addonId];
  const url = new URL(request.url);
  // Writes only where the addon's UI needs them (Grafana saves, Kiali's wizards); the route wrapper
  // has already required the portal's own origin (and JSON for a body), so another site cannot send one.
  const write = writeMethods.find((m) => m === request.method);
  if (request.method !== 'GET' && request.method !== 'HEAD' && !(write && addon.acceptsWrites)) {
    const allow = addon.acceptsWrites ? ['GET', 'HEAD', ...writeMethods].join(', ') : 'GET, HEAD';
    return problem(request, 405, 'method-not-allowed', `${request.method} is not allowed on ${addon.label}: it is read-only through the portal (${allow})`, { allow });
  }
  // Relative links in the addon's pages resolve against the mount with its slash.
  if (url.pathname === addon.mount.replace(/\/$/, '')) return new Response(null, { status: 308, headers: { location: addon.mount + url.search } });
  const mapped = upstreamPath(addon, url.pathname);
  if (!mapped.ok) return problem(request, 400, 'invalid-input', `${addon.label}: ${mapped.reason}`);
  if (cluster.kind === 'none') return problem(request, 409, 'no-cluster', noClusterMessage);

  let kc: KubeConfig;
  if (cluster.kind === 'config') kc = cluster.kc;
  else {
    try {
      kc = loadKubeConfig(cluster.path);
    } catch (error) {
      return problem(request, 502, 'cluster-unreachable', `your cluster's kubeconfig could not be read: ${(error as Error).message}`);
    }
  }

  const headers: Record<string, string> = { 'accept-encoding': 'identity' };
  for (const name of forwardedRequestHeaders) {
    const value = request.headers.get(name);
    if (value) headers[name] = value;
  }
  let body: Buffer | undefined;
  if (write) {
    try {
      body = Buffer.from(await readBodyText(request, `${addon.label} request`, maxWriteBytes));
    } catch (error) {
      return problem(request, 413, 'too-large', (error as Error).message);
    }
    const type = request.headers.get('content-type');
    if (type) headers['content-type'] = type;
  }
  const signal = AbortSignal.any([request.signal, AbortSignal.timeout(limits.timeoutMs)]);
  let upstream: http.IncomingMessage;
  try {
    upstream = await requestThroughApiServer(kc, {
      method: write ?? (request.method === 'HEAD' ? 'HEAD' : 'GET'),
      path: serviceProxyBase(addon) + mapped.path,
      search: url.search,
      headers,
      signal,
      ...(body?.length ? { body } : {}),
    });
  } catch (error) {
    if (error instanceof ClusterUnreachableError) return problem(request, 502, 'cluster-unreachable', error.message);
    throw error;
  }
  const status = upstream.statusCode ?? 502;
  const type = String(upstream.headers['content-type'] ?? '');

  if (status >= 400) {
    // The API server answers for an addon that is not running (a Status object: "no endpoints
    // available for service", "services not found"); the addon's own errors pass through.
    const body = await readBounded(upstream, 64 * 1024).catch(() => undefined);
    const apiStatus = body === undefined ? undefined : kubernetesStatus(body);
    if (apiStatus && (status === 401 || status === 403))
      return problem(request, 502, 'cluster-refused', `your cluster's API server refused this environment's credentials for ${addon.label}: ${apiStatus}`);
    if (apiStatus) return problem(request, 502, 'addon-unavailable', `${addon.label} is not answering in your cluster: ${apiStatus}`);
    return new Response(request.method === 'HEAD' || body === undefined ? null : new Uint8Array(body), { status, headers: responseHeaders(addon, upstream) });
  }

  const out = responseHeaders(addon, upstream);
  if (request.method === 'HEAD' || status === 204 || status === 304) {
    upstream.resume();
    return new Response(null, { status, headers: out });
  }
  const encoded = (upstream.headers['content-encoding'] ?? 'identity') !== 'identity';
  if (type.startsWith('text/html') && !encoded) {
    let body: Buffer;
    try {
      body = await readBounded(upstream, limits.maxHtmlBytes);
    } catch (error) {
      return problem(request, 502, 'addon-unavailable', `${addon.label}: ${(error as Error).message}`);
    }
    return new Response(mapLinks(addon, body.toString('utf8')), { status, headers: out });
  }
  const length = upstream.headers['content-length'];
  if (length !== undefined && Number(length) <= limits.maxBytes) out.set('content-length', length);
  return new Response(limitedStream(upstream, limits.maxBytes), { status, headers: out });
}

function responseHeaders(addon: DashboardAddon, upstream: http.IncomingMessage): Headers {
  const out = new Headers();
  for (const name of forwardedResponseHeaders) {
    const value = upstream.headers[name];
    if (typeof value === 'string') out.set(name, value);
  }
  const location = upstream.headers.location;
  if (typeof location === 'string') out.set('location', mapLocation(addon, location));
  if (!out.has('cache-control')) out.set('cache-control', 'private, no-cache');
  out.set('content-security-policy', dashboardContentSecurityPolicy);
  out.set('x-content-type-options', 'nosniff');
  return out;
}

/** A redirect stays on the portal: API-server proxy paths and the addon's own paths map to the mount. */
function mapLocation(addon: DashboardAddon, location: string): string {
  const base = serviceProxyBase(addon);
  let path = location;
  if (/^[a-z][a-z0-9+.-]*:/i.test(location)) {
    const url = new URL(location);
    path = url.pathname + url.search + url.hash;
  }
  if (path.startsWith(base)) path = path.slice(base.length) || '/';
  return path.startsWith('/') ? publicPath(addon, path) : location;
}

/**
 * The API server rewrites absolute links in proxied HTML to go through itself
 * (`/api/v1/namespaces/…/proxy/…`); the browser must reach them through the portal instead.
 */
export function mapLinks(addon: DashboardAddon, html: string): string {
  const base = serviceProxyBase(addon);
  const pattern = new RegExp(`${escapeRegExp(base)}(/[^"'\\s<>)]*)?`, 'g');
  return html.replace(pattern, (_match, rest: string | undefined) => publicPath(addon, rest ?? '/'));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function kubernetesStatus(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { kind?: unknown; message?: unknown };
    if (parsed.kind === 'Status') return typeof parsed.message === 'string' ? parsed.message : 'the API server could not reach it';
  } catch {
    // not JSON: the addon's own error page
  }
  return undefined;
}


/** The upstream body as a web stream that errors (and stops reading) past `max` bytes. */
function limitedStream(stream: http.IncomingMessage, max: number): ReadableStream<Uint8Array> {
  let size = 0;
  const web = Readable.toWeb(stream) as ReadableStream<Uint8Array>;
  return web.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > max) {
          stream.destroy();
          controller.error(new Error(`answer larger than ${max} bytes`));
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
}

/** An error the learner reads in the iframe (HTML) or a script reads (JSON, the API's error shape). */
function problem(request: Request, status: number, code: string, message: string, extra: Record<string, string> = {}): Response {
  const headers: Record<string, string> = { 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'", ...extra };
  if (request.method === 'HEAD') return new Response(null, { status, headers });
  if ((request.headers.get('accept') ?? '').includes('text/html')) {
    const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(message)}</title></head><body style="font-family:system-ui,sans-serif;padding:1.5rem"><p data-test="dashboard-problem" data-code="${code}">${escapeHtml(message)}</p></body></html>\n`;
    return new Response(page, { status, headers: { ...headers, 'content-type': 'text/html; charset=utf-8' } });
  }
  return Response.json({ error: { code, message } }, { status, headers });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
