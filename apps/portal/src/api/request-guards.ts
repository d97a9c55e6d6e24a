import { ApiError } from './api-error';

/**
 * The origin pages of this portal are served from: the configured public URL when there is one
 * (behind a TLS-terminating proxy the request itself says http), else the scheme of the request
 * and the Host the browser asked for (a browser never lets another site choose that Host).
 */
export function portalOrigin(request: Request, publicUrl: string | undefined): string {
  if (publicUrl) return new URL(publicUrl).origin;
  const url = new URL(request.url);
  const host = request.headers.get('host') ?? url.host;
  return `${url.protocol}//${host}`;
}

/**
 * Refuses a state-changing request that a page of another origin could have sent (CSRF): a
 * browser marks every fetch with Sec-Fetch-Site and every POST with Origin, and neither can be
 * forged by the page. A learner's web server on another port of the same host is another origin.
 */
export function assertSameOrigin(request: Request, ownOrigin: string): void {
  const site = request.headers.get('sec-fetch-site');
  const origin = request.headers.get('origin');
  if (site !== null && site !== 'same-origin')
    throw new ApiError('not-allowed', `cross-site request refused: this API answers only the portal's own pages (Sec-Fetch-Site: ${site})`);
  if (origin !== null && origin !== ownOrigin)
    throw new ApiError('not-allowed', `cross-origin request refused: Origin ${origin} is not the portal's own origin ${ownOrigin}`);
  if (origin === null && site === null)
    throw new ApiError('not-allowed', `request refused: send the portal's own Origin header (${ownOrigin}) with every POST`);
}

/**
 * JSON only: a cross-site HTML form cannot send it, so this also closes form-based CSRF. A DELETE
 * that carries no body (Kiali's and Grafana's UIs send them bare) has no type to check, and no
 * form can send a DELETE.
 */
export function assertJsonContentType(request: Request): void {
  if (request.method === 'DELETE' && !carriesBody(request)) return;
  const type = request.headers.get('content-type');
  const mediaType = type?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json')
    throw new ApiError('unsupported-media-type', `this API accepts only Content-Type: application/json, got ${type ? `"${type}"` : 'none'}`);
}

function carriesBody(request: Request): boolean {
  const length = request.headers.get('content-length');
  return request.headers.has('transfer-encoding') || (length !== null && length.trim() !== '0');
}
