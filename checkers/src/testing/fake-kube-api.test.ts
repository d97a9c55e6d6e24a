import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselineCluster, virtualService } from '.';
import { startFakeKubeApi, type FakeKubeApi } from './fake-kube-api';
import { matchesLabelSelector } from './label-selector';

let api: FakeKubeApi;
const auth = { authorization: 'Bearer fake-checker-token' };
const get = async (path: string, init: RequestInit = {}) => {
  const res = await fetch(`${api.url}${path}`, { ...init, headers: { ...auth, ...(init.headers as Record<string, string> | undefined) } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  api = await startFakeKubeApi({ objects: [...baselineCluster(), virtualService('default', 'reviews', { hosts: ['reviews'] })] });
});
afterAll(async () => {
  await api.close();
});

describe('fake Kubernetes API', () => {
  it('lists core objects as a PodList whose items lack kind/apiVersion', async () => {
    const { status, body } = await get('/api/v1/namespaces/default/pods?labelSelector=app%3Dreviews');
    expect(status).toBe(200);
    expect(body['kind']).toBe('PodList');
    expect((body['metadata'] as { resourceVersion?: string }).resourceVersion).toMatch(/^\d+$/);
    const items = body['items'] as Array<Record<string, unknown>>;
    expect(items).toHaveLength(3);
    expect(items[0]?.['kind']).toBeUndefined();
  });
  it('serves Istio CRDs at every served version, items keeping kind/apiVersion', async () => {
    for (const version of ['v1', 'v1beta1', 'v1alpha3']) {
      const { body } = await get(`/apis/networking.istio.io/${version}/namespaces/default/virtualservices`);
      const items = body['items'] as Array<Record<string, unknown>>;
      expect(items.map((i) => i['apiVersion'])).toEqual([`networking.istio.io/${version}`, `networking.istio.io/${version}`]);
    }
    const all = await get('/apis/networking.istio.io/v1/virtualservices');
    expect((all.body['items'] as unknown[]).length).toBe(2);
  });
  it('answers discovery for client-node (APIResourceList)', async () => {
    const { body } = await get('/apis/security.istio.io/v1');
    expect(body['kind']).toBe('APIResourceList');
    expect((body['resources'] as Array<{ name: string }>).map((r) => r.name)).toContain('authorizationpolicies');
  });
  it('returns 404 Status bodies for missing objects and unknown groups', async () => {
    const missing = await get('/apis/networking.istio.io/v1/namespaces/default/virtualservices/nope');
    expect(missing).toMatchObject({ status: 404, body: { kind: 'Status', reason: 'NotFound', code: 404, message: 'virtualservices.networking.istio.io "nope" not found' } });
    expect((await get('/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes')).status).toBe(404);
  });
  it('returns 403 Status bodies for forbidden reads and for any write', async () => {
    api.forbid({ resource: 'secrets' });
    expect(await get('/api/v1/namespaces/istio-system/secrets')).toMatchObject({ status: 403, body: { reason: 'Forbidden' } });
    expect((await get('/api/v1/namespaces/default/configmaps', { method: 'POST', body: '{}' })).status).toBe(403);
  });
  it('requires the kubeconfig token (401 otherwise)', async () => {
    const res = await fetch(`${api.url}/api/v1/namespaces`);
    expect(res.status).toBe(401);
  });
  it('gets a namespace by name and filters lists by field selector', async () => {
    expect((await get('/api/v1/namespaces/default')).body['kind']).toBe('Namespace');
    const { body } = await get('/api/v1/pods?fieldSelector=metadata.namespace%3Dtoolbox');
    expect((body['items'] as unknown[]).length).toBe(1);
  });
  it('serves pod logs only for containers of the pod (native sidecars included)', async () => {
    const pod = api.objects().find((o) => o.kind === 'Pod' && o.metadata?.name?.startsWith('reviews-v1-'))?.metadata?.name ?? '';
    api.setLogs('default', pod, 'istio-proxy', (since) => `since=${since ?? 'all'}\n`);
    const ok = await fetch(`${api.url}/api/v1/namespaces/default/pods/${pod}/log?container=istio-proxy&sinceSeconds=30`, { headers: auth });
    expect(await ok.text()).toBe('since=30\n');
    const bad = await fetch(`${api.url}/api/v1/namespaces/default/pods/${pod}/log?container=nope`, { headers: auth });
    expect(bad.status).toBe(400);
  });
  it('proxies to services and reports a missing one as 503 no endpoints', async () => {
    api.setProxyHandler('istio-system/services/grafana:3000', (r) => ({ status: 200, body: `path=${r.path} auth=${r.headers['authorization'] ?? 'none'}` }));
    const res = await fetch(`${api.url}/api/v1/namespaces/istio-system/services/grafana:3000/proxy/api/search?query=Istio`, { headers: auth });
    expect(await res.text()).toBe('path=/api/search?query=Istio auth=none');
    expect((await get('/api/v1/namespaces/istio-system/services/kiali:20001/proxy/kiali/api')).status).toBe(503);
  });
});

describe('label selectors', () => {
  const labels = { app: 'reviews', version: 'v2' };
  it.each([
    ['app=reviews', true],
    ['app==reviews,version=v3', false],
    ['version in (v1, v2)', true],
    ['version notin (v2)', false],
    ['app', true],
    ['!app', false],
    ['tier!=web', true],
    ['', true],
  ])('%s → %s', (selector, expected) => {
    expect(matchesLabelSelector(selector, labels)).toBe(expected);
  });
});

describe('watches from a resourceVersion', () => {
  it('replay what changed between the list and the watch (a namespace gone before kubectl wait watched)', async () => {
    const writable = await startFakeKubeApi({ objects: [], token: null, writable: true, namespaceTerminationMs: 0 });
    try {
      const call = (method: string, url: string, body?: unknown) => fetch(`${writable.url}${url}`, { method, headers: { 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
      expect((await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gone' } })).status).toBe(201);
      const listed = (await (await call('GET', '/api/v1/namespaces?fieldSelector=metadata.name%3Dgone')).json()) as { metadata: { resourceVersion: string } };
      await call('DELETE', '/api/v1/namespaces/gone');
      await new Promise((r) => setTimeout(r, 20));
      const watch = await call('GET', `/api/v1/namespaces?fieldSelector=metadata.name%3Dgone&watch=true&timeoutSeconds=1&resourceVersion=${listed.metadata.resourceVersion}`);
      const events = (await watch.text()).trim().split('\n').map((l) => (JSON.parse(l) as { type: string }).type);
      expect(events).toContain('DELETED');
    } finally {
      await writable.close();
    }
  });
});
