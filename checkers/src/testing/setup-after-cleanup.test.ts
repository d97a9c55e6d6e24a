import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultLabsDir } from '@istio-workshop/labs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselineCluster } from './testdata/baseline-cluster';
import { startFakeKubeApi, type FakeKubeApi } from './fake-kube-api';

/**
 * A cleanup deletes namespace intro without waiting (`--wait=false`), and the next lab's setup
 * re-creates it at once. On a real cluster the namespace stays Terminating for a while (pods
 * finishing) and the API server refuses new objects in it. These tests run the real kubectl and
 * the real lab scripts against the fake API server, which behaves that way.
 */

let api: FakeKubeApi;
let home: string;

beforeAll(async () => {
  // kind's CoreDNS Deployment, which L11's setup restarts after editing its ConfigMap.
  const coredns = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', namespace: 'kube-system' },
    spec: { replicas: 2, selector: { matchLabels: { 'k8s-app': 'kube-dns' } }, template: { metadata: { labels: { 'k8s-app': 'kube-dns' } }, spec: { containers: [{ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.12.0' }] } } },
  };
  api = await startFakeKubeApi({ objects: [...baselineCluster(), coredns], token: null, writable: true, namespaceTerminationMs: 1500 });
  home = mkdtempSync(path.join(tmpdir(), 'setup-after-cleanup-'));
});

afterAll(async () => {
  await api.close();
  rmSync(home, { recursive: true, force: true });
});

/** bash with the real kubectl (and jq) against the fake API; asynchronous, as the server shares this process. */
function sh(script: string, args: string[] = []): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script, ...args], {
      cwd: defaultLabsDir,
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, KUBECONFIG: api.kubeconfigPath },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

const lab = (file: string) => path.join(defaultLabsDir, file);
const namespace = (name: string) => api.objects().find((o) => o.kind === 'Namespace' && o.metadata?.name === name);

describe('fake API server: a deleted namespace terminates first', () => {
  it('is Terminating with a deletionTimestamp, refuses new objects with 403, then disappears', async () => {
    const call = (method: string, url: string, body?: unknown) =>
      fetch(`${api.url}${url}`, { method, headers: { 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    expect((await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } })).status).toBe(201);
    expect((await call('DELETE', '/api/v1/namespaces/doomed')).status).toBe(200);
    const during = (await (await call('GET', '/api/v1/namespaces/doomed')).json()) as { metadata: { deletionTimestamp?: string }; status: { phase: string } };
    expect(during.status.phase).toBe('Terminating');
    expect(during.metadata.deletionTimestamp).toBeTruthy();
    const refused = await call('POST', '/api/v1/namespaces/doomed/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'x' } });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toBe(
      'serviceaccounts "x" is forbidden: unable to create new content in namespace doomed because it is being terminated',
    );
    while ((await call('GET', '/api/v1/namespaces/doomed')).status === 200) await new Promise((r) => setTimeout(r, 100));
    expect((await call('GET', '/api/v1/namespaces/doomed')).status).toBe(404);
  });
});

describe('a lab setup right after a cleanup that deleted its namespace', () => {
  it('the old setup order (create at once) is refused while intro terminates', { timeout: 60_000 }, async () => {
    expect((await sh(lab('l01-sidecar-injection/solutions/deploy-workloads.sh'))).code).toBe(0);
    api.setNamespaceTerminationMs(60_000); // pods that take their time: intro stays Terminating throughout
    expect((await sh(lab('l02-ingress-gateway/cleanup.sh'))).code).toBe(0);
    // What L07's and L08's setups did before they waited: re-create intro and apply into it.
    const old = await sh('-c', [
      `set -euo pipefail
kubectl create namespace intro --dry-run=client -o yaml | kubectl apply -f -
kubectl label namespace intro istio-injection=enabled --overwrite
printf 'apiVersion: v1\\nkind: ServiceAccount\\nmetadata:\\n  name: httpbin\\n' | kubectl apply -n intro -f -`,
    ]);
    expect(old.code).not.toBe(0);
    expect(old.output).toContain('because it is being terminated');
    api.remove('v1', 'Namespace', undefined, 'intro'); // the controller finishes (the test does not wait a minute)
    api.setNamespaceTerminationMs(1500);
  });

  for (const [cleanup, setup] of [
    ['l02-ingress-gateway/cleanup.sh', 'l07-timeouts-retries/setup.sh'],
    ['l08-circuit-breaking/cleanup.sh', 'l09-mirroring/setup.sh'],
    ['l12-egress-gateway/cleanup.sh', 'l11-egress-serviceentry/setup.sh'],
  ] as const) {
    it(`${setup} after ${cleanup} waits for the namespace and succeeds`, { timeout: 120_000 }, async () => {
      const egress = setup.startsWith('l11');
      const before = await sh(lab(egress ? 'l11-egress-serviceentry/setup.sh' : 'shared/intro-workloads.sh'));
      expect(before.code, before.output).toBe(0);
      const down = await sh(lab(cleanup));
      expect(down.code, down.output).toBe(0);
      const ns = egress ? 'external' : 'intro';
      // (L12's cleanup edits CoreDNS after deleting the namespace, which may outlast the termination.)
      if (!egress) expect(namespace(ns)?.metadata?.deletionTimestamp, `${cleanup} leaves ${ns} Terminating`).toBeTruthy();
      const up = await sh(lab(setup));
      expect(up.code, up.output).toBe(0);
      expect(namespace(ns)?.metadata?.deletionTimestamp).toBeUndefined();
      expect(api.objects().some((o) => o.kind === 'Deployment' && o.metadata?.namespace === ns)).toBe(true);
    });
  }

  it('l13-mutual-tls/setup.sh runs again after its own cleanup and after a mesh-wide policy was left', { timeout: 120_000 }, async () => {
    const first = await sh(lab('l13-mutual-tls/setup.sh'));
    expect(first.code, first.output).toBe(0);
    const strict = await sh(lab('l13-mutual-tls/solutions/mesh-wide-strict.sh'));
    expect(strict.code, strict.output).toBe(0);
    const down = await sh(lab('l13-mutual-tls/cleanup.sh'));
    expect(down.code, down.output).toBe(0);
    expect(api.objects().some((o) => o.kind === 'PeerAuthentication')).toBe(false);
    const up = await sh(lab('l13-mutual-tls/setup.sh'));
    expect(up.code, up.output).toBe(0);
    for (const ns of ['foo', 'bar', 'legacy']) expect(api.objects().some((o) => o.kind === 'Deployment' && o.metadata?.namespace === ns)).toBe(true);
  });
});
