import http from 'node:http';
import https from 'node:https';
import { toCheckRunError } from '../kube/classify-error';

export interface PlainHttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  durationMs: number;
}

/**
 * One HTTP request with full control of the Host header (fetch does not allow setting it), used
 * for `--ingress <url>` probes. Redirects are returned, not followed (LOGIN reads Set-Cookie).
 */
export function httpRequest(
  url: URL,
  options: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal },
): Promise<PlainHttpAnswer> {
  const lib = url.protocol === 'https:' ? https : http;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = lib.request(url, { method: options.method, headers: options.headers, signal: options.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join('\n') : v;
        resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8'), durationMs: Date.now() - started });
      });
      res.on('error', (e) => reject(toCheckRunError(e, `calling ${url.origin}`, options.signal)));
    });
    req.on('error', (e) => reject(toCheckRunError(e, `calling the ingress at ${url.origin}`, options.signal)));
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}
