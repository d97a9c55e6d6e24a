// A fake Docker host for tests: the test-double executables first on PATH, their state directory, the
// invocation log, behaviour switches, and real HTTP listeners on the environments' ingress ports that
// answer like Bookinfo once the fake cluster behind the port would serve it.

import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const fakeToolsBin = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fake-tools', 'bin');

export interface Invocation {
  tool: string;
  argv: string[];
}

export interface FakeBehaviour {
  match: string;
  action: 'fail' | 'slow' | 'hang';
  times?: number;
  ms?: number;
  exitCode?: number;
  stderr?: string;
}

export interface FakeClusterState {
  name: string;
  httpPort: number | null;
  images: string[];
  namespaces: Record<string, Record<string, string>>;
  applied: string[];
  pods: { name: string; deployment: string; injected: boolean }[];
  istio?: { tag: string };
  addons?: Record<string, boolean>;
  toolbox?: { image: string };
  smokeTelemetry?: boolean;
  prometheusArgs?: string[];
  grafanaEnv?: string[];
  scrubs?: number;
}

export interface FakeHost {
  dir: string;
  /** A /proc stand-in with kind-friendly inotify limits, for the doctor. */
  procRoot: string;
  /** Environment for children: doubles first on PATH, FAKE_TOOLS_DIR set. */
  env: NodeJS.ProcessEnv;
  portRange: { first: number; last: number };
  invocations(): Promise<Invocation[]>;
  /** Invocations as "tool arg ..." lines with the host's temp paths replaced by <dir>. */
  commandLines(): Promise<string[]>;
  clearInvocations(): Promise<void>;
  setBehaviours(behaviours: FakeBehaviour[]): Promise<void>;
  clusters(): Promise<string[]>;
  cluster(name: string): Promise<FakeClusterState | null>;
  writeCluster(state: FakeClusterState): Promise<void>;
  addHostImages(refs: string[]): Promise<void>;
  close(): Promise<void>;
}

function bookinfoServing(c: FakeClusterState): boolean {
  return (
    Boolean(c.istio) &&
    c.pods.length >= 6 &&
    c.pods.every((p) => p.injected) &&
    c.applied.includes('Gateway/default/bookinfo-gateway')
  );
}

const productpage =
  '<html><body><h3>Book Details</h3><dl><dt>Reviews served by:</dt><dd><u>reviews-v1-5d8f7c-abcde</u></dd></dl></body></html>';

async function listenAll(ports: number[], handler: Parameters<typeof createServer>[1]): Promise<Server[] | null> {
  const servers: Server[] = [];
  for (const port of ports) {
    const server = createServer(handler);
    const ok = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (!ok) {
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
      return null;
    }
    servers.push(server);
  }
  return servers;
}

export async function createFakeHost(options: { ingressPairs?: number } = {}): Promise<FakeHost> {
  const dir = await mkdtemp(path.join(tmpdir(), 'fake-host-'));
  const clustersDir = path.join(dir, 'clusters');
  const readState = async (name: string): Promise<FakeClusterState | null> => {
    try {
      return JSON.parse(await readFile(path.join(clustersDir, `${name}.json`), 'utf8')) as FakeClusterState;
    } catch {
      return null;
    }
  };
  const listStates = async (): Promise<string[]> => {
    try {
      return (await readdir(clustersDir))
        .filter((f) => f.endsWith('.json'))
        .map((f) => f.slice(0, -5))
        .sort();
    } catch {
      return [];
    }
  };

  const pairs = options.ingressPairs ?? 6;
  let servers: Server[] | null = null;
  let first = 0;
  for (let attempt = 0; attempt < 20 && !servers; attempt += 1) {
    first = 20_000 + 2 * Math.floor(Math.random() * 15_000);
    const ports = Array.from({ length: pairs }, (_, i) => first + 2 * i);
    servers = await listenAll(ports, (req, res) => {
      const port = req.socket.localPort;
      void (async () => {
        for (const name of await listStates()) {
          const c = await readState(name);
          if (c && c.httpPort === port) {
            if (req.url === '/productpage' && bookinfoServing(c)) {
              res.writeHead(200, { 'content-type': 'text/html' }).end(productpage);
            } else {
              res.writeHead(404).end('not found');
            }
            return;
          }
        }
        // No cluster maps this port: like a closed port, as far as an HTTP client can tell.
        req.socket.destroy();
      })();
    });
  }
  if (!servers) throw new Error('could not find a free port range for the fake ingress');
  const portRange = { first, last: first + 2 * pairs - 1 };

  const procRoot = path.join(dir, 'proc');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(path.join(procRoot, 'sys', 'fs', 'inotify'), { recursive: true });
  await mkdir(clustersDir, { recursive: true });
  await writeFile(path.join(procRoot, 'sys', 'fs', 'inotify', 'max_user_watches'), '1048576\n');
  await writeFile(path.join(procRoot, 'sys', 'fs', 'inotify', 'max_user_instances'), '1024\n');

  const host: FakeHost = {
    dir,
    procRoot,
    portRange,
    env: { ...process.env, PATH: `${fakeToolsBin}${path.delimiter}${process.env.PATH ?? ''}`, FAKE_TOOLS_DIR: dir },
    async invocations() {
      try {
        const text = await readFile(path.join(dir, 'invocations.log'), 'utf8');
        return text
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Invocation);
      } catch {
        return [];
      }
    },
    async commandLines() {
      return (await host.invocations()).map((i) => [i.tool, ...i.argv].join(' '));
    },
    async clearInvocations() {
      await rm(path.join(dir, 'invocations.log'), { force: true });
    },
    async setBehaviours(behaviours) {
      await rm(path.join(dir, 'counters'), { recursive: true, force: true });
      await writeFile(path.join(dir, 'behaviors.json'), JSON.stringify(behaviours));
    },
    clusters: listStates,
    cluster: readState,
    async writeCluster(state) {
      await writeFile(path.join(clustersDir, `${state.name}.json`), JSON.stringify(state));
    },
    async addHostImages(refs) {
      const imagesDir = path.join(dir, 'host-images');
      const { mkdir } = await import('node:fs/promises');
      await mkdir(imagesDir, { recursive: true });
      await Promise.all(refs.map((r) => writeFile(path.join(imagesDir, encodeURIComponent(r)), r)));
    },
    async close() {
      await Promise.all((servers ?? []).map((s) => new Promise((r) => s.close(r))));
      await rm(dir, { recursive: true, force: true });
    },
  };
  return host;
}
