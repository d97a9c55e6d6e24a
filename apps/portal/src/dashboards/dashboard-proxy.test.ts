import { KubeConfig } from '@kubernetes/client-node';
import { baselineCluster, startFakeKubeApi, type FakeKubeApi, type ProxyAnswer, type ProxyRequest } from '@istio-workshop/checkers/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serveDashboard, type DashboardCluster } from './dashboard-proxy';
import { upstreamPath } from './dashboard-path';

const portal = 'http://portal.test';
const kialiProxy = '/api/v1/namespaces/istio-system/services/kiali:20001/proxy';

let api: FakeKubeApi;
let cluster: DashboardCluster;
let seen: ProxyRequest[];

beforeAll(async () => {
  api = await startFakeKubeApi({ objects: baselineCluster() });
  cluster = { kind: 'kubeconfig', path: api.kubeconfigPath };
});
afterAll(async () => {
  await api?.close();
});
beforeEach(() => {
  seen = [];
  // Kiali as the API server's service proxy hands it back: absolute links already rewritten to
  // go through the proxy (k8s.io/apimachinery pkg/util/proxy transport.go does that for text/html).
  api.setProxyHandler('istio-system/services/kiali:20001', (request): ProxyAnswer => {
    seen.push(request);
    if (request.path.startsWith('/kiali/api/'))
      return { status: 200, headers: { 'content-type': 'application/json', 'set-cookie': 'kiali-token=x; Path=/' }, body: JSON.stringify({ path: request.path }) };
    if (request.path === '/kiali/console') return { status: 302, headers: { location: `${kialiProxy}/kiali/console/` }, body: '' };
    return {
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8', 'set-cookie': 'kiali-token=x; Path=/' },
      body: `<html><head><base href="${kialiProxy}/kiali/"><script src="${kialiProxy}/kiali/static/js/main.js"></script></head><body>Kiali console</body></html>`,
    };
  });
  api.setProxyHandler('istio-system/services/grafana:3000', (request) => {
    seen.push(request);
    return { status: 200, headers: { 'content-type': 'application/json' }, body: '[]' };
  });
});

function get(path: string, init: RequestInit = {}): Request {
  return new Request(`${portal}${path}`, init);
}

describe('the dashboard proxy', () => {
  it('forwards a GET through the service proxy and maps the API server links back under the mount', async () => {
    const response = await serveDashboard(get('/kiali/', { headers: { accept: 'text/html', cookie: 'workshop-learner=secret', authorization: 'Bearer learner' } }), 'kiali', cluster);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<base href="/kiali/">');
    expect(html).toContain('<script src="/kiali/static/js/main.js">');
    expect(html).not.toContain('/api/v1/');
    expect(seen[0]?.path).toBe('/kiali/');
    // The learner's portal cookie never reaches the addon, and the addon sets none on the portal.
    expect(seen[0]?.headers.cookie).toBeUndefined();
    expect(seen[0]?.headers.authorization).toBeUndefined();
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
  });

  it('streams other answers with the query string intact', async () => {
    const response = await serveDashboard(get('/kiali/api/namespaces/graph?namespaces=default&graphType=versionedApp'), 'kiali', cluster);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ path: '/kiali/api/namespaces/graph?namespaces=default&graphType=versionedApp' });
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('strips the mount for addons that answer at / (Grafana)', async () => {
    const response = await serveDashboard(get('/grafana/api/search?query=Istio'), 'grafana', cluster);
    expect(response.status).toBe(200);
    expect(seen[0]?.path).toBe('/api/search?query=Istio');
  });

  it('keeps redirects on the portal', async () => {
    const response = await serveDashboard(get('/kiali/console'), 'kiali', cluster);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/kiali/console/');
    const bare = await serveDashboard(get('/kiali?x=1'), 'kiali', cluster);
    expect(bare.status).toBe(308);
    expect(bare.headers.get('location')).toBe('/kiali/?x=1');
  });

  it('answers HEAD without a body', async () => {
    const response = await serveDashboard(get('/kiali/', { method: 'HEAD' }), 'kiali', cluster);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it("forwards Grafana's panel query and a dashboard save with their JSON bodies, without the portal's cookie", async () => {
    const query = JSON.stringify({ queries: [{ expr: 'sum(istio_requests_total)' }], from: 'now-5m', to: 'now' });
    const response = await serveDashboard(get('/grafana/api/ds/query', { method: 'POST', body: query, headers: { 'content-type': 'application/json', cookie: 'workshop-learner=secret' } }), 'grafana', cluster);
    expect(response.status).toBe(200);
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/api/ds/query', body: query });
    expect(seen[0]?.headers['cookie']).toBeUndefined();
    const dashboard = JSON.stringify({ dashboard: { title: 'My Bookinfo', panels: [] }, overwrite: false });
    const save = await serveDashboard(get('/grafana/api/dashboards/db', { method: 'POST', body: dashboard, headers: { 'content-type': 'application/json' } }), 'grafana', cluster);
    expect(save.status).toBe(200);
    expect(seen[1]).toMatchObject({ method: 'POST', path: '/api/dashboards/db', body: dashboard });
    expect(seen[1]?.headers['content-type']).toBe('application/json');
  });

  it("forwards Kiali's wizard writes: PATCH with its body, DELETE bare", async () => {
    const patch = JSON.stringify({ spec: { http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' }, weight: 80 }] }] } });
    const path = '/kiali/api/namespaces/default/istio/networking.istio.io/v1/VirtualService/reviews';
    expect((await serveDashboard(get(path, { method: 'PATCH', body: patch, headers: { 'content-type': 'application/json' } }), 'kiali', cluster)).status).toBe(200);
    expect((await serveDashboard(get(path, { method: 'DELETE' }), 'kiali', cluster)).status).toBe(200);
    expect(seen.map((r) => [r.method, r.path, r.body])).toEqual([
      ['PATCH', path, patch],
      ['DELETE', path, ''],
    ]);
  });

  it('cuts an oversized write with 413 before it reaches the cluster', async () => {
    const response = await serveDashboard(get('/grafana/api/dashboards/db', { method: 'POST', body: 'x'.repeat(3 * 1024 * 1024), headers: { 'content-type': 'application/json' } }), 'grafana', cluster);
    expect(response.status).toBe(413);
    expect(seen).toEqual([]);
  });

  it('refuses writes to the read-only addons with 405', async () => {
    for (const [addon, path] of [
      ['jaeger', '/jaeger/api/x'],
      ['prometheus', '/prometheus/api/v1/admin/tsdb/delete_series'],
      ['bookinfo', '/bookinfo/login'],
    ] as const) {
      const response = await serveDashboard(get(path, { method: 'POST', body: '{}' }), addon, cluster);
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
    }
    const options = await serveDashboard(get('/kiali/api/x', { method: 'OPTIONS' }), 'kiali', cluster);
    expect(options.status).toBe(405);
    expect(seen).toEqual([]);
  });

  it('refuses a path that climbs out of the service with 400', async () => {
    const response = await serveDashboard(get('/kiali/..%2f..%2f..%2fsecrets'), 'kiali', cluster);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/encoded slashes/);
    expect(upstreamPath({ mount: '/kiali/', upstreamPrefix: '/kiali/' }, '/kiali/a/../../../api/v1/secrets')).toEqual({ ok: false, reason: 'the path may not contain "." or ".." segments' });
    expect(upstreamPath({ mount: '/kiali/', upstreamPrefix: '/kiali/' }, '/kiali/%2e%2e/x')).toMatchObject({ ok: false });
    expect(seen).toEqual([]);
  });

  it('answers 404 for an addon not on the allow-list', async () => {
    const response = await serveDashboard(get('/kube-dns/'), 'kube-dns', cluster);
    expect(response.status).toBe(404);
  });

  it('says so when the environment has no cluster, as a page for the iframe', async () => {
    const response = await serveDashboard(get('/kiali/', { headers: { accept: 'text/html' } }), 'kiali', { kind: 'none' });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain('no cluster attached: dashboards appear when your environment has a cluster');
  });

  it('answers 502 with a clear message when the cluster is down', async () => {
    const down = new KubeConfig();
    down.loadFromOptions({
      clusters: [{ name: 'c', server: 'http://127.0.0.1:9', skipTLSVerify: true }],
      users: [{ name: 'u', token: 't' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    const response = await serveDashboard(get('/kiali/'), 'kiali', { kind: 'config', kc: down });
    expect(response.status).toBe(502);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/your cluster's API server \(127\.0\.0\.1:9\) did not answer: connection refused/);
  });

  it('answers 502 naming the addon when the API server cannot reach it', async () => {
    const response = await serveDashboard(get('/jaeger/api/services'), 'jaeger', cluster);
    expect(response.status).toBe(502);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe('Jaeger is not answering in your cluster: no endpoints available for service "tracing"');
  });

  it('cuts an answer larger than the limit', async () => {
    api.setProxyHandler('istio-system/services/prometheus:9090', () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: 'x'.repeat(10_000) }));
    const response = await serveDashboard(get('/prometheus/api/v1/query?query=up'), 'prometheus', cluster, { timeoutMs: 5000, maxBytes: 1000, maxHtmlBytes: 1000 });
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });

  it('gives up on a slow cluster after the time limit', async () => {
    api.setLatency(2000);
    try {
      const response = await serveDashboard(get('/kiali/'), 'kiali', cluster, { timeoutMs: 200, maxBytes: 1000, maxHtmlBytes: 1000 });
      expect(response.status).toBe(502);
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/did not answer in time/);
    } finally {
      api.setLatency(0);
    }
  });
});
