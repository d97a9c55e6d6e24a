import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckRunError } from '../check-error';
import { KubeClusterReader } from '../kube/kube-cluster-reader';
import { loadKubeConfig } from '../kube/load-kubeconfig';
import { NotYetError } from '../not-yet-error';
import type { Probes } from '../probes';
import { baselineCluster, bookinfoTrace, startCheckHarness, startFakeKubeApi, virtualService, type CheckHarness } from '../testing';
import { createKubeProbes } from './kube-probes';

let h: CheckHarness;
let probes: Probes;
let reader: KubeClusterReader;
const controller = new AbortController();

beforeAll(async () => {
  h = await startCheckHarness({ objects: baselineCluster(), routes: { anonymous: { v1: 1, v3: 1 }, users: { jason: { v2: 1 } } } });
  const kc = loadKubeConfig({ kind: 'file', path: h.api.kubeconfigPath });
  reader = new KubeClusterReader(kc, controller.signal);
  probes = createKubeProbes({ kc, cluster: reader, signal: controller.signal, deadline: Date.now() + 60_000, kubeconfigPath: () => h.api.kubeconfigPath });
});
afterAll(async () => {
  await h.close();
});

describe('probes over the API server', () => {
  it('PROM: instant query through the service proxy, samples as numbers', async () => {
    h.prometheus.setHandler((q) => (q.includes('istio_requests_total') ? [{ metric: { response_flags: 'DI', reporter: 'source' }, value: 7 }] : []));
    const samples = await probes.prom('sum by (response_flags) (istio_requests_total{reporter="source"})');
    expect(samples).toEqual([{ metric: { response_flags: 'DI', reporter: 'source' }, value: 7 }]);
    expect(h.prometheus.queries.at(-1)).toBe('sum by (response_flags) (istio_requests_total{reporter="source"})');
  });
  it('an addon that does not answer is "could not run", not a failed step', async () => {
    await expect(probes.kiali('/api/istio/validations?namespaces=default')).rejects.toMatchObject({ code: 'unreachable' });
    h.api.setProxyHandler('istio-system/services/kiali:20001', (r) => ({ status: 200, body: JSON.stringify({ path: r.path }) }));
    expect(await probes.kiali('/api/istio/validations?namespaces=default')).toEqual({ path: '/kiali/api/istio/validations?namespaces=default' });
  });
  it('JAEGER: services and traces under the /jaeger base path', async () => {
    h.jaeger.setTraces([bookinfoTrace({ ratings: true, tags: { lab: 'istio-workshop' } })]);
    expect(await probes.jaeger('/api/services')).toMatchObject({ data: ['details.default', 'istio-ingressgateway.istio-system', 'productpage.default', 'ratings.default', 'reviews.default'] });
    const traces = (await probes.jaeger('/api/traces?service=productpage.default&lookback=15m&limit=20')) as { data: Array<{ spans: unknown[]; processes: Record<string, { serviceName: string }> }> };
    expect(traces.data[0]?.spans).toHaveLength(8);
    expect(Object.values(traces.data[0]?.processes ?? {}).map((p) => p.serviceName)).toContain('istio-ingressgateway.istio-system');
  });
  it('LOGS: reads the istio-proxy native sidecar of a pod', async () => {
    const pod = (await reader.pods('default', 'app=productpage'))[0]?.metadata?.name ?? '';
    h.api.setLogs('default', pod, 'istio-proxy', '[2026-11-23T23:00:00Z] "GET /productpage HTTP/1.1" 200\n');
    expect(await probes.logs('default', pod, 'istio-proxy', 60)).toContain('GET /productpage');
    await expect(probes.logs('default', 'gone-pod', 'istio-proxy', 60)).rejects.toBeInstanceOf(NotYetError);
  });
  it('EXEC: no matching pod is a step not done yet, with a kubectl hint', async () => {
    const error = await probes.exec('intro', 'app=curl', ['true']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotYetError);
    expect((error as NotYetError).assertion.next).toBe('kubectl get pods -n intro -l app=curl');
  });
  it('MIX via the toolbox splits n > 50 into batches of one curl each', async () => {
    const execsBefore = h.api.requests.filter((q) => q.method === 'EXEC').length;
    const session = await probes.login('jason');
    expect(session.cookie).toMatch(/^session=/);
    const mix = await probes.mix(120, { session });
    expect(mix.counts).toEqual({ v1: 0, v2: 120, v3: 0 });
    expect(mix.colours.v2).toEqual(['black']);
    // one exec for the login, three for 50 + 50 + 20 requests
    expect(h.api.requests.filter((q) => q.method === 'EXEC').length - execsBefore).toBe(4);
  });
  it('MIX without a session uses the service proxy and tells versions apart by pod name', async () => {
    const mix = await probes.mix(40);
    expect(mix.counts.v1 + mix.counts.v3).toBe(40);
    expect(mix.counts.v2).toBe(0);
    expect(mix.colours.v1).toEqual(['none']);
  });
  it('a 404 from the application behind the proxy stays an answer', async () => {
    h.api.setProxyHandler('istio-system/services/istio-ingressgateway:80', () => ({ status: 404, body: '' }));
    expect(await probes.ing({ path: '/nope' })).toMatchObject({ status: 404, via: 'service-proxy' });
  });
  it('a 403 from Envoy behind the proxy is an answer; a 403 from RBAC is forbidden', async () => {
    h.api.setProxyHandler('istio-system/services/istio-ingressgateway:80', () => ({ status: 403, body: 'RBAC: access denied' }));
    expect(await probes.ing({ path: '/productpage' })).toMatchObject({ status: 403, body: 'RBAC: access denied', via: 'service-proxy' });
    h.api.forbid({ resource: 'services/proxy', namespace: 'istio-system' });
    await expect(probes.ing({ path: '/productpage' })).rejects.toMatchObject({ code: 'forbidden' });
  });
  it('an ingress gateway without endpoints is "could not run"', async () => {
    const bare = await startFakeKubeApi({ objects: baselineCluster() }); // no proxy handler: 503 no endpoints
    const kc = loadKubeConfig({ kind: 'file', path: bare.kubeconfigPath });
    const p = createKubeProbes({ kc, cluster: new KubeClusterReader(kc, controller.signal), signal: controller.signal, deadline: Date.now() + 10_000, kubeconfigPath: () => bare.kubeconfigPath });
    await expect(p.mix(3)).rejects.toMatchObject({ code: 'unreachable', message: expect.stringContaining('no endpoints available') });
    await bare.close();
  });
  it("the API server's own 404 (no such Service or pod to proxy to) is \"could not run\", naming the proxy path", async () => {
    const objects = baselineCluster().filter((o) => !(o.kind === 'Service' && o.metadata?.name === 'istio-ingressgateway'));
    const bare = await startFakeKubeApi({ objects });
    const kc = loadKubeConfig({ kind: 'file', path: bare.kubeconfigPath });
    const p = createKubeProbes({ kc, cluster: new KubeClusterReader(kc, controller.signal), signal: controller.signal, deadline: Date.now() + 10_000, kubeconfigPath: () => bare.kubeconfigPath });
    const error = await p.mix(3).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckRunError);
    expect(error).toMatchObject({ code: 'unreachable' });
    expect((error as Error).message).toContain('/api/v1/namespaces/istio-system/services/istio-ingressgateway:80/proxy/api/v1/products/0/reviews');
    expect((error as Error).message).toContain('services "istio-ingressgateway" not found');
    await expect(p.podProxy('default', 'gone-pod', 15020, '/stats/prometheus')).rejects.toMatchObject({ code: 'unreachable', message: expect.stringContaining('/api/v1/namespaces/default/pods/gone-pod:15020/proxy/stats/prometheus') });
    await bare.close();
  });
  it('ANALYZE is undefined without istioctl on PATH', async () => {
    const old = process.env['PATH'];
    process.env['PATH'] = '/nonexistent';
    try {
      expect(await probes.analyze('default')).toBeUndefined();
    } finally {
      process.env['PATH'] = old;
    }
  });
});

describe('cluster reader', () => {
  it('an Istio object our schema cannot read is a checker bug (internal), naming object and field', async () => {
    h.api.add(virtualService('default', 'odd', { hosts: 'reviews' as unknown as string[] }));
    const error = await reader.virtualServices('default').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckRunError);
    expect(error).toMatchObject({ code: 'internal' });
    expect((error as Error).message).toContain('VirtualService default/odd');
    h.api.remove('networking.istio.io/v1', 'VirtualService', 'default', 'odd');
  });
  it('a missing object is undefined, a missing CRD type an empty list', async () => {
    expect(await reader.get('networking.istio.io/v1', 'Gateway', 'default', 'nope')).toBeUndefined();
    expect(await reader.configMap('default', 'nope')).toBeUndefined();
  });
});
