import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

/** The learner's cluster (its API server) did not answer at all: down, deleted, or unreachable. */
export class ClusterUnreachableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ClusterUnreachableError';
  }
}

export interface ServiceProxyRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path under the API server, e.g. `/api/v1/namespaces/istio-system/services/kiali:20001/proxy/kiali/`. */
  path: string;
  /** Query string with its `?`, or empty. */
  search: string;
  headers: Record<string, string>;
  signal: AbortSignal;
  /** A write's body, already read (and bounded) by the caller. */
  body?: Buffer;
}

/**
 * One request through the Kubernetes API server with the kubeconfig's credentials and TLS settings
 * (client-node `applyToHTTPSOptions`, as the checkers' `apiGet` does), answered with the raw
 * response so that large bodies stream. Any HTTP status is an answer; only "no answer at all"
 * (refused, reset, TLS failure, timeout) is a ClusterUnreachableError.
 */
export async function requestThroughApiServer(kc: KubeConfig, request: ServiceProxyRequest): Promise<http.IncomingMessage> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new ClusterUnreachableError('the kubeconfig names no current cluster');
  const server = new URL(cluster.server);
  // Keep a server base path (e.g. Rancher's /k8s/clusters/x) in front of the API path.
  const url = new URL(server.origin);
  url.pathname = server.pathname.replace(/\/$/, '') + request.path;
  url.search = request.search;
  const options: https.RequestOptions = { method: request.method, headers: { ...request.headers } };
  await kc.applyToHTTPSOptions(options);
  const lib = url.protocol === 'http:' ? http : https;
  return new Promise<http.IncomingMessage>((resolve, reject) => {
    const req = lib.request(url, { ...options, signal: request.signal }, resolve);
    req.on('error', (error) => {
      const reason = request.signal.aborted ? 'it did not answer in time' : describeNetworkError(error);
      reject(new ClusterUnreachableError(`your cluster's API server (${server.host}) did not answer: ${reason}`, { cause: error }));
    });
    req.end(request.body);
  });
}

function describeNetworkError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ECONNREFUSED') return 'connection refused (is the cluster running?)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'its address does not resolve';
  if (code === 'ECONNRESET') return 'the connection was reset';
  return error instanceof Error ? error.message : String(error);
}
