import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../check-result';
import { baselineCluster, httpbinHost, startCheckHarness, workload, type CheckHarness } from '../../testing';
import { introState, labelled, manualState } from '../../testing/testdata/l01-fixtures';

const lab = 'l01-sidecar-injection';
let h: CheckHarness;

beforeAll(async () => {
  h = await startCheckHarness({ requireHints: true });
});
afterAll(async () => {
  await h.close();
});

function failing(result: CheckResult) {
  return result.assertions.filter((a) => a.status === 'fail');
}

describe('l01 deploy-workloads', () => {
  it('passes when httpbin and curl run in intro without sidecars', async () => {
    h.api.set(introState());
    const r = await h.run(lab, 'deploy-workloads');
    expect(r.outcome).toBe('passed');
    expect(r.assertions.map((a) => a.code)).toContain('L01.NO_PROXY');
  });
  it('fails on the starting state (no intro namespace)', async () => {
    h.api.set(baselineCluster());
    const r = await h.run(lab, 'deploy-workloads');
    expect(r.outcome).toBe('failed');
    expect(failing(r)[0]?.next).toBe('kubectl create namespace intro');
  });
});

describe('l01 label-namespace', () => {
  it('passes with istio-injection=enabled', async () => {
    h.api.set(introState({ labels: labelled }));
    expect((await h.run(lab, 'label-namespace')).outcome).toBe('passed');
  });
  it('fails on the starting state', async () => {
    h.api.set(introState());
    expect((await h.run(lab, 'label-namespace')).outcome).toBe('failed');
  });
  it('mistake: label value typo "enable"', async () => {
    h.api.set(introState({ labels: { 'istio-injection': 'enable' } }));
    const f = failing(await h.run(lab, 'label-namespace'))[0];
    expect(f?.code).toBe('L01.INJECTION_LABEL_VALUE');
    expect(f?.hint).toContain('must be exactly "enabled"');
  });
  it('mistake: both istio-injection and istio.io/rev → IST0123', async () => {
    h.api.set(introState({ labels: { ...labelled, 'istio.io/rev': 'default' } }));
    expect(failing(await h.run(lab, 'label-namespace'))[0]?.code).toBe('IST0123');
  });
});

describe('l01 restart-workloads', () => {
  it('passes when every pod has a native sidecar, and explains where it lives', async () => {
    h.api.set(introState({ labels: labelled, injection: 'native' }));
    const r = await h.run(lab, 'restart-workloads');
    expect(r.outcome).toBe('passed');
    expect(r.assertions.find((a) => a.code === 'L01.PROXY_INJECTED')?.hint).toContain('initContainers');
  });
  it('passes with classic sidecars too', async () => {
    h.api.set(introState({ labels: labelled, injection: 'classic' }));
    expect((await h.run(lab, 'restart-workloads')).outcome).toBe('passed');
  });
  it('fails on the starting state', async () => {
    h.api.set(introState());
    expect((await h.run(lab, 'restart-workloads')).outcome).toBe('failed');
  });
  it('mistake: labelled but not restarted → IST0103 with rollout restart', async () => {
    h.api.set(introState({ labels: labelled }));
    const f = failing(await h.run(lab, 'restart-workloads'))[0];
    expect(f?.code).toBe('IST0103');
    expect(f?.next).toBe('kubectl rollout restart deploy -n intro');
  });
  it('a Deployment whose new pod is still Pending is not done yet', async () => {
    const state = introState({ labels: labelled, injection: 'native' }).map((o) =>
      o.kind === 'Pod' && o.metadata?.name?.startsWith('curl-')
        ? { ...o, status: { phase: 'Pending', conditions: [{ type: 'Ready', status: 'False' }] } }
        : o,
    );
    h.api.set(state);
    const f = failing(await h.run(lab, 'restart-workloads'));
    expect(f.map((a) => a.code)).toEqual(['L01.PODS_READY']);
    expect(f[0]?.actual).toMatch(/curl-.* Pending/);
  });
  it('mistake: app running as UID 1337 → IST0144', async () => {
    h.api.set([
      ...introState({ labels: labelled, injection: 'native' }),
      ...workload({
        ns: 'intro',
        name: 'uid-app',
        labels: { app: 'uid-app' },
        image: 'curlimages/curl:8.16.0',
        injection: 'native',
        runAsUser: 1337,
      }),
    ]);
    expect(failing(await h.run(lab, 'restart-workloads')).map((a) => a.code)).toEqual(['IST0144']);
  });
});

describe('l01 manual-injection', () => {
  it('passes when kube-inject wrote the proxy into the template of an unlabelled namespace', async () => {
    h.api.set(manualState({ injectedTemplate: true }));
    expect((await h.run(lab, 'manual-injection')).outcome).toBe('passed');
  });
  it('fails on the starting state', async () => {
    h.api.set(baselineCluster());
    expect((await h.run(lab, 'manual-injection')).outcome).toBe('failed');
  });
  it('mistake: applied without kube-inject', async () => {
    h.api.set(manualState({ injectedTemplate: false }));
    const f = failing(await h.run(lab, 'manual-injection'))[0];
    expect(f?.code).toBe('L01.TEMPLATE_INJECTED');
    expect(f?.next).toContain('istioctl kube-inject');
  });
  it('mistake: namespace labelled for injection', async () => {
    h.api.set(manualState({ injectedTemplate: true, labels: labelled }));
    expect(failing(await h.run(lab, 'manual-injection'))[0]?.code).toBe('L01.NS_MANUAL_LABELLED');
  });
});

describe('l01 opt-out', () => {
  it('passes with the pod-template label and no proxy', async () => {
    h.api.set(introState({ labels: labelled, injection: 'native', legacy: 'label' }));
    expect((await h.run(lab, 'opt-out')).outcome).toBe('passed');
  });
  it('fails on the starting state', async () => {
    h.api.set(baselineCluster());
    expect((await h.run(lab, 'opt-out')).outcome).toBe('failed');
  });
  it('opt-out written as the deprecated annotation: Istio 1.30 still honours it, so it passes with a warning', async () => {
    h.api.set(introState({ labels: labelled, injection: 'native', legacy: 'annotation' }));
    const r = await h.run(lab, 'opt-out');
    expect(r.outcome, JSON.stringify(failing(r))).toBe('passed');
    const w = r.assertions.find((a) => a.code === 'L01.OPT_OUT_LABEL');
    expect(w?.status).toBe('warn');
    expect(w?.hint).toContain('deprecated');
  });
});

describe('l01 verify-mesh (probe)', () => {
  const syncz = (names: string[], stale = false) =>
    JSON.stringify(
      names.map((n) => ({
        cluster_id: 'Kubernetes',
        proxy: n,
        proxy_type: 'sidecar',
        istio_version: '1.30.3',
        cluster_sent: 'a1',
        cluster_acked: 'a1',
        listener_sent: 'b2',
        listener_acked: 'b2',
        route_sent: 'c3',
        route_acked: stale ? 'c2' : 'c3',
        endpoint_sent: 'd4',
        endpoint_acked: 'd4',
      })),
    );
  function introPodIds() {
    return h.api
      .objects()
      .filter((o) => o.kind === 'Pod' && o.metadata?.namespace === 'intro')
      .map((o) => `${o.metadata?.name ?? ''}.intro`);
  }

  it('passes when proxies are synced and the call carries a client certificate', async () => {
    h.api.set(introState({ labels: labelled, injection: 'native' }));
    h.api.setProxyHandler('istio-system/services/istiod:15014', () => ({ status: 200, body: syncz(introPodIds()) }));
    h.upstreams['httpbin.intro:8000'] = (r) =>
      httpbinHost({
        'x-forwarded-client-cert':
          'By=spiffe://cluster.local/ns/intro/sa/httpbin;URI=spiffe://cluster.local/ns/intro/sa/curl',
      })(r) ?? { status: 404, body: '' };
    const r = await h.run(lab, 'verify-mesh');
    expect(r.outcome, JSON.stringify(r.assertions)).toBe('passed');
    expect(h.api.requests.some((q) => q.method === 'EXEC' && q.path.includes('/namespaces/intro/pods/curl-'))).toBe(
      true,
    );
  });
  it('fails on the starting state', async () => {
    h.api.set(baselineCluster());
    expect((await h.run(lab, 'verify-mesh')).outcome).toBe('failed');
  });
  it('mistake: one side without sidecar → plain text, no XFCC', async () => {
    h.api.set(introState({ labels: labelled, injection: 'native' }));
    h.api.setProxyHandler('istio-system/services/istiod:15014', () => ({ status: 200, body: syncz(introPodIds()) }));
    h.upstreams['httpbin.intro:8000'] = (r) => httpbinHost()(r) ?? { status: 404, body: '' };
    const f = failing(await h.run(lab, 'verify-mesh'));
    expect(f.map((a) => a.code)).toEqual(['L01.MTLS_CALL']);
    expect(f[0]?.hint).toContain('plain text');
  });
  it('reports a stale proxy as not yet synced', async () => {
    h.api.set(introState({ labels: labelled, injection: 'native' }));
    h.api.setProxyHandler('istio-system/services/istiod:15014', () => ({
      status: 200,
      body: syncz(introPodIds(), true),
    }));
    const f = failing(await h.run(lab, 'verify-mesh'));
    expect(f[0]?.code).toBe('L01.PROXY_STATUS');
    expect(f[0]?.actual).toContain('STALE route');
  });
});
