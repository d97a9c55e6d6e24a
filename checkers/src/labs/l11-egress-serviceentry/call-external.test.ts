import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { baselineCluster, serviceEntry, sidecar, startCheckHarness, type CheckHarness } from '../../testing';
import { expectFailed, expectOnlyReads, expectPassed, failure } from '../../testing/check-expectations';
import { externalApi, nameOf } from '../../testing/testdata/lab-fixtures';

// The state L11's setup leaves: the fake API hidden from the mesh and default/curl with a sidecar.
const start = [...baselineCluster(), ...externalApi()];
const curlPod = nameOf(start, 'Pod', 'default', 'curl-');

// Access-log lines of the curl sidecar (Istio's default text format) for the three ways the call can leave.
const logLine = (code: number, cluster: string) =>
  `[2026-03-02T10:00:01.123Z] "GET /get HTTP/1.1" ${code} - via_upstream - "-" 0 512 4 3 "-" "curl/8.16.0" "6f1c0f7e-2b7a-9d4e-8c1b-4a0a1e2f3b4c" "api.example.com" "10.96.200.200:80" ${cluster} 10.244.0.57:43210 10.96.200.200:80 10.244.0.57:43208 - -`;
const passthroughLine = logLine(200, 'PassthroughCluster');
const registeredLine = logLine(200, 'outbound|80||api.example.com');
const otherLine = '[2026-03-02T10:00:00.001Z] "GET /productpage HTTP/1.1" 200 - via_upstream - "-" 0 5293 31 30 "-" "curl/8.16.0" "a" "productpage:9080" "10.244.0.21:9080" outbound|9080||productpage.default.svc.cluster.local - - -';

describe('l11-egress-serviceentry/call-external', () => {
  let h: CheckHarness;
  const called: string[] = [];
  // What the curl sidecar answers for api.example.com; the tests set it per lab state.
  let status = 200;
  beforeAll(async () => {
    h = await startCheckHarness({ objects: start });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.api.set(start);
    status = 200;
    h.upstreams['api.example.com:80'] = (r) => {
      called.push(r.path);
      return { status, body: status === 200 ? '{"url": "http://api.example.com/get"}' : '' };
    };
    h.api.setLogs('default', curlPod, 'istio-proxy', `${otherLine}\n${passthroughLine}\n`);
  });

  it('passes on the setup state: 200 through PassthroughCluster, read from the curl sidecar log', async () => {
    const r = await h.run('l11-egress-serviceentry', 'call-external');
    expectPassed(r);
    expect(r.assertions.find((a) => a.code === 'L11.PASSTHROUGH')).toMatchObject({ status: 'pass', actual: expect.stringContaining('PassthroughCluster') });
    expect(called.at(-1)).toBe('/get');
    expect(h.api.requests.some((q) => q.path.startsWith(`/api/v1/namespaces/default/pods/${curlPod}/log`) && q.path.includes('container=istio-proxy'))).toBe(true);
    expectOnlyReads(h);
  });

  it('fails when the setup did not run (api.example.com does not resolve)', async () => {
    delete h.upstreams['api.example.com:80'];
    const r = await h.run('l11-egress-serviceentry', 'call-external');
    expectFailed(r);
    const f = failure(r, 'L11.EXTERNAL_ALLOWED');
    expect(f.actual).toMatch(/curl exit 6/);
    expect(f.hint).toMatch(/does not resolve.*lab setup/);
  });

  it('fails with the leftover hint when REGISTRY_ONLY from step 2 is still in place (502)', async () => {
    h.api.set([...start, sidecar('default', 'default', { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } })]);
    status = 502;
    const r = await h.run('l11-egress-serviceentry', 'call-external');
    expectFailed(r);
    const f = failure(r, 'L11.EXTERNAL_ALLOWED');
    expect(f.actual).toMatch(/HTTP 502/);
    expect(f.hint).toMatch(/502 itself \(route block_all/);
    expect(f.hint).not.toMatch(/BlackHoleCluster/);
    expect(f.hint).toMatch(/later step is still in place/);
    expect(f.next).toBe('kubectl get sidecar -A');
  });

  it('passes with a warning when a ServiceEntry already registers the host (no PassthroughCluster)', async () => {
    h.api.set([...start, serviceEntry('default', 'api-example', { hosts: ['api.example.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS' })]);
    h.api.setLogs('default', curlPod, 'istio-proxy', `${registeredLine}\n`);
    const r = await h.run('l11-egress-serviceentry', 'call-external');
    expectPassed(r);
    const w = r.assertions.find((a) => a.code === 'L11.PASSTHROUGH');
    expect(w?.status).toBe('warn');
    expect(w?.hint).toMatch(/ServiceEntry already registers/);
  });

  it('passes with a warning when the sidecar writes no access log for the call', async () => {
    h.api.setLogs('default', curlPod, 'istio-proxy', `${otherLine}\n`);
    const r = await h.run('l11-egress-serviceentry', 'call-external');
    expectPassed(r);
    const w = r.assertions.find((a) => a.code === 'L11.PASSTHROUGH');
    expect(w?.status).toBe('warn');
    expect(w?.hint).toMatch(/Access logging seems off/);
  });
});
