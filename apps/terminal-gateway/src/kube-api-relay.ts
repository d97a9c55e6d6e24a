// How a sandboxed shell, which has a network namespace of its own (loopback only), still reaches
// its learner's cluster (API server, and ingress gateway when the ticket names one at
// 127.0.0.1:8080/8443 inside): the gateway listens on one unix socket per endpoint inside a
// per-session directory mounted into the sandbox, and relays each connection to that server's
// host:port over TCP. Inside, `socat` listens on 127.0.0.1:<port> and connects to the socket; the
// kubeconfig the shell sees points at that port and names the original host for TLS
// (`tls-server-name`), so certificate checks still pass. Nothing else of the network is reachable.
import { chmod, chown, readFile } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { isAbsolute, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';

/** Where the per-session directory appears inside the sandbox. */
export const sandboxRunDir = '/run/workshop';
/** First loopback port inside the sandbox; the n-th API server gets this + n. */
export const firstSandboxApiPort = 6443;
/** Where the cluster's ingress gateway appears inside the sandbox ($GATEWAY_URL = 127.0.0.1:8080). */
export const sandboxIngressPorts = { http: 8080, https: 8443 } as const;
/** Connections one relay serves at once (each holds two sockets of the gateway). */
export const maxRelayConnections = 64;

export interface RelayEndpoint {
  /** Target as the gateway reaches it. */
  host: string;
  port: number;
  /** Listening port inside the sandbox. */
  sandboxPort: number;
  /** File name of the unix socket in the session directory. */
  socketName: string;
}

export interface SandboxKubeconfig {
  text: string;
  endpoints: RelayEndpoint[];
}

const clusterEntrySchema = z.object({
  name: z.string(),
  cluster: z.looseObject({ server: z.string() }),
});
const kubeconfigSchema = z.looseObject({
  clusters: z.array(clusterEntrySchema).default([]),
  users: z.array(z.looseObject({ name: z.string(), user: z.looseObject({}).nullish() })).default([]),
});

export class KubeconfigRewriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeconfigRewriteError';
  }
}

function defaultPort(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'http:' ? 80 : 443;
}

/** Square brackets of an IPv6 literal are URL syntax, not part of the name TLS checks. */
function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * Points every cluster of a kubeconfig at a relay port on the sandbox's loopback and inlines the
 * files it references (CA, client certificate and key), which do not exist inside the sandbox.
 */
export async function rewriteKubeconfigForSandbox(text: string, kubeconfigPath: string): Promise<SandboxKubeconfig> {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new KubeconfigRewriteError(`${kubeconfigPath} is not YAML: ${(error as Error).message}`);
  }
  const parsed = kubeconfigSchema.safeParse(raw);
  if (!parsed.success)
    throw new KubeconfigRewriteError(`${kubeconfigPath} is not a kubeconfig: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const config = parsed.data;
  const baseDir = kubeconfigPath.slice(0, kubeconfigPath.lastIndexOf('/')) || '/';
  const inline = async (owner: Record<string, unknown>, fileKey: string, dataKey: string): Promise<void> => {
    const file = owner[fileKey];
    if (typeof file !== 'string' || owner[dataKey] !== undefined) return;
    const path = isAbsolute(file) ? file : join(baseDir, file);
    try {
      owner[dataKey] = (await readFile(path)).toString('base64');
    } catch (error) {
      throw new KubeconfigRewriteError(`${kubeconfigPath} names ${fileKey} ${path}, which cannot be read: ${(error as Error).message}`);
    }
    delete owner[fileKey];
  };

  const endpoints: RelayEndpoint[] = [];
  const byTarget = new Map<string, RelayEndpoint>();
  for (const entry of config.clusters) {
    const cluster = entry.cluster;
    let url: URL;
    try {
      url = new URL(cluster.server);
    } catch {
      throw new KubeconfigRewriteError(`${kubeconfigPath}: cluster ${entry.name} has server ${JSON.stringify(cluster.server)}, which is not a URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new KubeconfigRewriteError(`${kubeconfigPath}: cluster ${entry.name} server must be https:// or http://`);
    const host = bareHost(url);
    const port = defaultPort(url);
    const key = `${host}:${port}`;
    let endpoint = byTarget.get(key);
    if (!endpoint) {
      endpoint = { host, port, sandboxPort: firstSandboxApiPort + endpoints.length, socketName: `k${endpoints.length}.sock` };
      byTarget.set(key, endpoint);
      endpoints.push(endpoint);
    }
    await inline(cluster, 'certificate-authority', 'certificate-authority-data');
    if (url.protocol === 'https:' && cluster['tls-server-name'] === undefined && cluster['insecure-skip-tls-verify'] !== true)
      cluster['tls-server-name'] = host;
    cluster.server = `${url.protocol}//127.0.0.1:${endpoint.sandboxPort}${url.pathname === '/' ? '' : url.pathname}`;
  }
  for (const entry of config.users) {
    if (!entry.user) continue;
    await inline(entry.user, 'client-certificate', 'client-certificate-data');
    await inline(entry.user, 'client-key', 'client-key-data');
  }
  return { text: stringify(config), endpoints };
}

/** The command that runs inside the sandbox for one endpoint (stderr kept off the learner's screen). */
/** The ingress gateway's relays: HTTP always, HTTPS when the cluster maps a port for it. */
export function ingressEndpoints(ingress: { host: string; httpPort: number; httpsPort?: number | undefined }): RelayEndpoint[] {
  const out: RelayEndpoint[] = [{ host: ingress.host, port: ingress.httpPort, sandboxPort: sandboxIngressPorts.http, socketName: 'ingress-http.sock' }];
  if (ingress.httpsPort) out.push({ host: ingress.host, port: ingress.httpsPort, sandboxPort: sandboxIngressPorts.https, socketName: 'ingress-https.sock' });
  return out;
}

/** What the labs call the ingress inside the sandbox: `host:port` without a scheme, as in the toolbox. */
export function sandboxIngressEnvironment(ingress: { httpsPort?: number | undefined } | undefined): Record<string, string> {
  if (!ingress) return {};
  const env: Record<string, string> = { GATEWAY_URL: `127.0.0.1:${sandboxIngressPorts.http}`, INGRESS_HOST: '127.0.0.1', INGRESS_PORT: String(sandboxIngressPorts.http) };
  if (ingress.httpsPort) env.SECURE_INGRESS_PORT = String(sandboxIngressPorts.https);
  return env;
}

export function socatCommand(endpoint: RelayEndpoint): string {
  return `socat TCP-LISTEN:${endpoint.sandboxPort},bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:${sandboxRunDir}/${endpoint.socketName} </dev/null 2>/dev/null &`;
}

/** The host side: unix sockets in the session directory, each relaying to its API server. */
export class KubeApiRelays {
  private readonly servers: Server[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor() {}

  /**
   * Listens on `<dir>/<socketName>` for every endpoint; the sockets belong to `owner` (the
   * sandbox's host uid) with mode 0600, so only the sandbox (and root) can connect.
   */
  static async start(dir: string, endpoints: RelayEndpoint[], owner: { uid: number; gid: number } | undefined): Promise<KubeApiRelays> {
    const relays = new KubeApiRelays();
    try {
      for (const endpoint of endpoints) {
        const path = join(dir, endpoint.socketName);
        const server = createServer((downstream) => relays.relay(downstream, endpoint));
        server.maxConnections = maxRelayConnections;
        relays.servers.push(server);
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(path, () => {
            server.off('error', reject);
            resolve();
          });
        });
        await chmod(path, 0o600);
        if (owner) await chown(path, owner.uid, owner.gid);
      }
    } catch (error) {
      relays.close();
      throw error;
    }
    return relays;
  }

  private relay(downstream: Socket, endpoint: RelayEndpoint): void {
    const upstream = createConnection({ host: endpoint.host, port: endpoint.port });
    this.sockets.add(downstream);
    this.sockets.add(upstream);
    const end = (): void => {
      downstream.destroy();
      upstream.destroy();
      this.sockets.delete(downstream);
      this.sockets.delete(upstream);
    };
    downstream.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    downstream.pipe(upstream);
    upstream.pipe(downstream);
  }

  close(): void {
    for (const server of this.servers.splice(0)) server.close();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }
}
