import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../cluster-reader';
import { baselineCluster, destinationRule, startCheckHarness, withChanges, workload, type CheckHarness, type FakeRequest, type FakeResponse } from '../../testing';
import { expectFailed, expectOnlyReads, expectPassed, failure } from '../../testing/check-expectations';
import { introApps } from '../../testing/testdata/lab-fixtures';

const start = [...baselineCluster(), ...introApps()];
const outlier = { consecutive5xxErrors: 1, interval: '1s', baseEjectionTime: '3m', maxEjectionPercent: 100 };
const solutionDr = (od: Record<string, unknown> | null = outlier, ns = 'intro') =>
  destinationRule(ns, 'httpbin', {
    host: 'httpbin',
    trafficPolicy: {
      connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 } },
      ...(od ? { outlierDetection: od } : {}),
    },
  });

/**
 * httpbin as the curl pod's sidecar sees it: once `ejects` is on, a 500 takes the only endpoint out of
 * the pool and Envoy answers 503 "no healthy upstream" itself (UH) until the ejection ends.
 */
function httpbinBehindSidecar(ejects: () => boolean) {
  let ejected = false;
  const calls: string[] = [];
  const handler = (r: FakeRequest): FakeResponse => {
    calls.push(r.path);
    if (ejected)
      return { status: 503, headers: { 'content-type': 'text/plain', server: 'envoy' }, body: 'no healthy upstream' };
    if (r.path === '/status/500') {
      if (ejects()) ejected = true;
      return { status: 500, body: '' };
    }
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: `http://httpbin:8000${r.path}` }),
    };
  };
  return { handler, calls, reset: () => (ejected = false) };
}

describe('l08-circuit-breaking/outlier-ejection', () => {
  let h: CheckHarness;
  let ejects = true;
  const upstream = httpbinBehindSidecar(() => ejects);
  beforeAll(async () => {
    h = await startCheckHarness({ objects: start });
    h.upstreams['httpbin:8000'] = upstream.handler;
  });
  afterAll(() => h.close());
  const run = (objects: KubeObject[], willEject: boolean) => {
    h.api.set(objects);
    ejects = willEject;
    upstream.reset();
    return h.run('l08-circuit-breaking', 'outlier-ejection');
  };

  it('passes when one 500 ejects httpbin, probing from the curl pod', async () => {
    const r = await run([...start, solutionDr()], true);
    expectPassed(r);
    expect(upstream.calls.slice(-2)).toEqual(['/status/500', '/get']);
    expect(h.api.requests.some((q) => q.method === 'EXEC' && q.path.includes('/namespaces/intro/pods/curl-'))).toBe(
      true,
    );
    expectOnlyReads(h);
  });

  it('passes when httpbin is still ejected from an earlier attempt (the 500 call itself gets 503)', async () => {
    h.api.set([...start, solutionDr()]);
    ejects = true;
    upstream.reset();
    expectPassed(await h.run('l08-circuit-breaking', 'outlier-ejection'));
    // No reset: the 3 min ejection is still running.
    const again = await h.run('l08-circuit-breaking', 'outlier-ejection');
    expectPassed(again);
    expect(again.assertions[0]?.actual).toMatch(/after \/status\/500 → 503/);
  });

  it('fails on the lab starting state (no DestinationRule), saying outlier detection is missing', async () => {
    const r = await run(start, false);
    expectFailed(r);
    const a = failure(r, 'L08.OUTLIER_EJECTED');
    expect(a.actual).toMatch(/\/status\/500 → 500, then \/get → 200/);
    expect(a.hint).toMatch(/not ejected.*no DestinationRule for httpbin\.intro/);
  });

  it('fails when the DR sits in the wrong namespace, naming the FQDN it resolved to', async () => {
    const r = await run([...start, solutionDr(outlier, 'default')], false);
    const a = failure(r, 'L08.OUTLIER_EJECTED');
    expect(a.hint).toMatch(/namespace intro or write host httpbin\.intro\.svc\.cluster\.local/);
    expect(a.next).toBe('kubectl get destinationrule -A');
  });

  it('fails when the DR has only the connection pool', async () => {
    const r = await run([...start, solutionDr(null)], false);
    expect(failure(r, 'L08.OUTLIER_EJECTED').hint).toMatch(/has no outlierDetection/);
  });

  it('fails when outlierDetection sits under a subset', async () => {
    const dr = destinationRule('intro', 'httpbin', {
      host: 'httpbin',
      subsets: [{ name: 'v1', labels: { version: 'v1' }, trafficPolicy: { outlierDetection: outlier } }],
    });
    const r = await run([...start, dr], false);
    expect(failure(r, 'L08.OUTLIER_EJECTED').hint).toMatch(/only under a subset.*spec\.trafficPolicy/);
  });

  it('fails with the reasons when the thresholds keep the single endpoint in the pool', async () => {
    const r = await run(
      [...start, solutionDr({ consecutive5xxErrors: 5, interval: '1s', baseEjectionTime: '3m' })],
      false,
    );
    const a = failure(r, 'L08.OUTLIER_EJECTED');
    expect(a.hint).toMatch(/consecutive5xxErrors is 5/);
    expect(a.hint).toMatch(/maxEjectionPercent is unset/);
    expect(a.next).toBe('kubectl get destinationrule -n intro httpbin -o yaml');
  });

  it('fails on minHealthPercent, which puts Envoy in panic mode', async () => {
    const r = await run([...start, solutionDr({ ...outlier, minHealthPercent: 50 })], false);
    expect(failure(r, 'L08.OUTLIER_EJECTED').hint).toMatch(/minHealthPercent 50.*panic/);
  });

  it('fails when the curl pod has no sidecar (nothing on the caller side ejects)', async () => {
    const plainCurl = workload({
      ns: 'intro',
      name: 'curl',
      labels: { app: 'curl' },
      image: 'docker.io/curlimages/curl:8.16.0',
      serviceAccount: 'curl',
      injection: 'none',
    });
    const r = await run([...withChanges(start, plainCurl), solutionDr()], false);
    const a = failure(r, 'L08.OUTLIER_EJECTED');
    expect(a.hint).toMatch(/curl pod has no istio-proxy/);
    expect(a.next).toMatch(/rollout restart deploy\/curl/);
  });

  it('fails with a reachability hint when httpbin does not answer at all', async () => {
    h.upstreams['httpbin:8000'] = { curlExitCode: 7 };
    try {
      const r = await run([...start, solutionDr()], true);
      const a = failure(r, 'L08.OUTLIER_EJECTED');
      expect(a.hint).toMatch(/could not reach httpbin/);
      expect(a.actual).toMatch(/\/status\/500 → 0/);
    } finally {
      h.upstreams['httpbin:8000'] = upstream.handler;
    }
  });
});
