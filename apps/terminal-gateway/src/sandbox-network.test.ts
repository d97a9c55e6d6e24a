// A learner's shell has a network of its own: what it listens on is out of everyone else's reach,
// the host's loopback services are out of its reach, and only its cluster's API server comes in,
// through the gateway's relay, with TLS still checked against the original host name.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../e2e/support/free-port';
import { probeSandbox } from './local-sandbox';
import { findSandboxTools } from './sandbox-host';
import { runInShell, startTestGateway, testSecret, TestTerminalClient, type TestGateway } from './gateway-test-support';

const sh = async (client: TestTerminalClient, command: string): Promise<string> => (await runInShell(client, command, 40_000)).trim();

const sandbox = await probeSandbox();
const tools = findSandboxTools();

function listen(server: Server, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve) => server.listen(0, host, () => resolve((server.address() as { port: number }).port)));
}

/** Whether the host can open a TCP connection to 127.0.0.1:port. */
function hostCanConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe.skipIf(sandbox.kind !== 'bwrap' || !tools.socat)('sandbox network', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-net-'));
  let gw: TestGateway;
  let hostService: Server;
  let hostServicePort: number;
  let fakeApi: Server;
  let kubeconfig: string;
  const apiRequests: string[] = [];

  beforeAll(async () => {
    process.env.WORKSHOP_TOKEN_SECRET = testSecret;
    hostService = createHttpServer((_req, res) => res.end('host-loopback-secret'));
    hostServicePort = await listen(hostService);

    // A fake Kubernetes API server with a certificate for "localhost" only (no IP SAN), so
    // the shell's kubectl passes verification only if the kubeconfig names that host for TLS.
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-days', '1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    fakeApi = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
      apiRequests.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ major: '1', minor: '30', gitVersion: 'v1.30.0-fake-api' }));
    });
    const apiPort = await listen(fakeApi);
    kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: workshop',
        '  cluster:',
        `    server: https://localhost:${apiPort}`,
        '    certificate-authority: cert.pem',
        'users:',
        '- name: learner',
        '  user:',
        '    token: relayed-token',
        'contexts:',
        '- name: workshop',
        '  context: {cluster: workshop, user: learner}',
        'current-context: workshop',
        '',
      ].join('\n'),
    );
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw.stop();
    hostService.close();
    fakeApi.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps what a learner listens on out of the host’s reach', async () => {
    const port = await freePort();
    const alice = await TestTerminalClient.connect(gw.url('env-net-a', gw.token({ env: 'env-net-a', sub: 'net-a' })));
    try {
      await sh(alice, `python3 -m http.server ${port} --bind 0.0.0.0 >/dev/null 2>&1 & echo started`);
      // It does listen, inside its own namespace (python may take a while to start on a busy machine)...
      const insideAnswer = `for i in $(seq 1 60); do c=$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:${port}/); [ "$c" = 200 ] && break; sleep 0.5; done; echo "$c"`;
      expect(await sh(alice, insideAnswer)).toBe('200');
      // ...and nothing outside can reach it.
      expect(await hostCanConnect(port)).toBe(false);
    } finally {
      await alice.close();
    }
  });

  it('cannot reach the host’s loopback services or the gateway itself', async () => {
    const bob = await TestTerminalClient.connect(gw.url('env-net-b', gw.token({ env: 'env-net-b', sub: 'net-b' })));
    try {
      expect(await sh(bob, `curl -s -m 3 http://127.0.0.1:${hostServicePort}/; echo " rc=$?"`)).toMatch(/^rc=[1-9]\d*$/);
      expect(await sh(bob, `curl -s -m 3 http://127.0.0.1:${gw.port}/metrics; echo " rc=$?"`)).toMatch(/^rc=[1-9]\d*$/);
      expect(await sh(bob, 'cat /proc/net/dev | grep -c ":"')).toBe('1'); // loopback only
    } finally {
      await bob.close();
    }
  });

  it("reaches its cluster's ingress gateway at $GATEWAY_URL through the relay, and nothing else of the host", async () => {
    const ingress = createHttpServer((req, res) => res.end(`ingress saw ${req.method} ${req.url} host=${req.headers.host}`));
    const ingressPort = await listen(ingress);
    const dave = await TestTerminalClient.connect(gw.url('env-net-d', gw.token({ env: 'env-net-d', sub: 'net-d', target: { kind: 'local', home: 'net-d', kubeconfig, ingress: { host: '127.0.0.1', httpPort: ingressPort } } })));
    try {
      expect(await sh(dave, 'echo "$GATEWAY_URL"')).toBe('127.0.0.1:8080');
      const answer = await sh(dave, `for i in 1 2 3 4 5; do curl -s -m 3 -H 'Host: bookinfo.test' "http://$GATEWAY_URL/productpage" && break; sleep 1; done`);
      expect(answer).toBe('ingress saw GET /productpage host=bookinfo.test');
      // The ingress relay is one port of the host, not its loopback.
      expect(await sh(dave, `curl -s -m 3 http://127.0.0.1:${hostServicePort}/; echo " rc=$?"`)).toMatch(/^rc=[1-9]\d*$/);
    } finally {
      await dave.close();
      ingress.close();
    }
  });

  it("reaches its cluster's API server through the relay, with TLS verified for the original host", async () => {
    const carol = await TestTerminalClient.connect(gw.url('env-net-c', gw.token({ env: 'env-net-c', sub: 'net-c', target: { kind: 'local', home: 'net-c', kubeconfig } })));
    try {
      const seen = await sh(carol, 'grep -E "server:|tls-server-name:" ~/.kube/config');
      expect(seen).toMatch(/server: https:\/\/127\.0\.0\.1:6443/);
      expect(seen).toMatch(/tls-server-name: localhost/);
      // The relay starts beside the shell; give it a moment on a busy machine.
      const version = await sh(carol, 'for i in 1 2 3 4 5; do kubectl get --raw /version 2>&1 && break; sleep 1; done');
      expect(version).toContain('v1.30.0-fake-api');
      expect(apiRequests.some((r) => r.startsWith('GET /version Bearer relayed-token'))).toBe(true);
      // Only the API server: the host's other loopback ports stay closed.
      expect(await sh(carol, `curl -s -m 3 http://127.0.0.1:${hostServicePort}/; echo " rc=$?"`)).toMatch(/^rc=[1-9]\d*$/);
    } finally {
      await carol.close();
    }
  });
});
