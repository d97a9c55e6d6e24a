// Response headers that make the browser refuse what the portal never does: being framed by
// another site, sniffing a JSON answer as HTML, leaking lab URLs to other sites, running scripts
// the portal did not send.

/** On every response (next.config headers()). */
export const staticSecurityHeaders: ReadonlyArray<{ key: string; value: string }> = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  // For browsers that predate CSP frame-ancestors.
  { key: 'X-Frame-Options', value: 'SAMEORIGIN' },
];

/** For JSON and text answers (API, health, metrics): nothing in them may load or run anything. */
export const dataContentSecurityPolicy = "default-src 'none'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

/**
 * For pages. Scripts: only those carrying this response's nonce (Next stamps it on its own
 * scripts) and what they load ('strict-dynamic'); 'unsafe-eval' because a lesson is compiled MDX
 * that mdx-bundler turns into a component with `new Function`. Styles: inline, because xterm.js
 * and React's style props write style attributes. Connections: this origin and the terminal
 * gateway (WebSocket plus its HTTP preflight).
 */
export function pageContentSecurityPolicy(options: { nonce: string; gatewayUrl: string }): string {
  const gateway = new URL(options.gatewayUrl);
  const gatewayHttp = `${gateway.protocol === 'wss:' ? 'https:' : 'http:'}//${gateway.host}`;
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${options.nonce}' 'strict-dynamic' 'unsafe-eval'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ${gateway.protocol}//${gateway.host} ${gatewayHttp}`,
    "worker-src 'self' blob:",
    // The dashboard tabs frame the addon UIs the portal proxies on its own origin (src/dashboards).
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join('; ');
}

/** A fresh nonce per page response (128 random bits, base64). */
export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}
