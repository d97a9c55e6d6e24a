import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { CheckRunError } from '../check-error';
import { toCheckRunError } from './classify-error';

export interface ApiGetResult {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const maxBody = 8 * 1024 * 1024;

/**
 * A raw GET on an API-server path (service/pod proxy, logs) with the kubeconfig's credentials and
 * TLS settings (client-node `applyToHTTPSOptions`). Any HTTP status is returned to the caller —
 * a proxied 404 or 503 is an answer; only 401/403 from the API server itself become `forbidden`.
 */
export async function apiGet(kc: KubeConfig, path: string, signal: AbortSignal, what: string): Promise<ApiGetResult> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new CheckRunError('no-cluster', 'the kubeconfig has no current cluster');
  const url = new URL(path, cluster.server.endsWith('/') ? cluster.server : `${cluster.server}/`);
  // Keep a server base path (e.g. Rancher's /k8s/clusters/x) in front of the API path.
  const base = new URL(cluster.server).pathname.replace(/\/$/, '');
  url.pathname = base + (path.split('?')[0] ?? '');
  const opts: https.RequestOptions = { method: 'GET', headers: {} };
  await kc.applyToHTTPSOptions(opts);
  const lib = url.protocol === 'http:' ? http : https;
  return new Promise<ApiGetResult>((resolve, reject) => {
    const req = lib.request(url, { ...opts, signal }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBody) {
          req.destroy(new Error(`answer larger than ${maxBody} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
        const body = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if ((status === 401 || status === 403) && isApiServerStatus(body, status)) {
          const err = Object.assign(new Error(`HTTP ${status}`), { statusCode: status, body });
          reject(toCheckRunError(err, what, signal));
          return;
        }
        resolve({ status, headers, body });
      });
      res.on('error', (error) => reject(toCheckRunError(error, what, signal)));
    });
    req.on('error', (error) => reject(toCheckRunError(error, what, signal)));
    req.end();
  });
}

/**
 * A 401/403 from the API server itself is a Kubernetes Status object; one proxied from a workload
 * (Envoy "RBAC: access denied", "Jwt verification fails") is not, and is an answer for the check.
 */
function isApiServerStatus(body: string, status: number): boolean {
  try {
    const parsed = JSON.parse(body) as { kind?: unknown; code?: unknown };
    return parsed.kind === 'Status' && parsed.code === status;
  } catch {
    return false;
  }
}
