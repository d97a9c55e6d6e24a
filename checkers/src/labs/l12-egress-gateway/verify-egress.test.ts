import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCheckHarness, type CheckHarness } from '../../testing';
import type { KubeObject } from '../../cluster-reader';
import { expectFailed, expectOnlyReads, expectPassed, failure } from '../../testing/check-expectations';
import { nameOf } from '../../testing/testdata/lab-fixtures';
import { afterVs, egressDr, egressGatewayObject, egressVs, l12Setup, withoutEgressGateway } from '../../testing/testdata/l12-fixtures';

// The egress gateway's access-log line for one forwarded call (Istio's default text format).
const gatewayLine =
  '[2026-03-02T10:00:02.456Z] "GET /get HTTP/1.1" 200 - via_upstream - "-" 0 512 6 5 "10.244.0.57" "curl/8.16.0" "0e6b2c8a-1f3d-9a7c-b5e4-2d1f0c9b8a7e" "api.example.com" "10.96.200.200:80" outbound|80||api.example.com 10.244.0.30:51234 10.244.0.30:8080 10.244.0.57:40112 - -';
const statusLine = '2026-03-02T10:00:00.000000Z\tinfo\tEnvoy proxy is ready';

describe('l12-egress-gateway/verify-egress', () => {
  let h: CheckHarness;
  const solved = afterVs();
  const egressPod = nameOf(solved, 'Pod', 'istio-system', 'istio-egressgateway-');
  // Per test: what default/curl gets, whether the call passed the gateway, whether Prometheus has the series.
  let answer = { status: 200, body: '{"url": "http://api.example.com/get"}' };
  let viaGateway = true;
  let metered = true;
  // Requests the egress gateway has reported for the host so far (each call through it adds one).
  let reported = 0;
  const since: number[] = [];
  beforeAll(async () => {
    h = await startCheckHarness({ objects: solved });
    h.upstreams['api.example.com:80'] = () => {
      if (viaGateway && metered) reported += 1;
      return answer;
    };
    h.api.setLogs('istio-system', egressPod, 'istio-proxy', (s) => {
      since.push(s ?? -1);
      return viaGateway ? `${statusLine}\n${gatewayLine}\n` : `${statusLine}\n`;
    });
    h.prometheus.setHandler((q) =>
      reported > 0 && q.includes('source_workload="istio-egressgateway"') && q.includes('destination_service_name="api.example.com"')
        ? [{ metric: {}, value: reported }]
        : [],
    );
  });
  afterAll(() => h.close());
  beforeEach(() => {
    answer = { status: 200, body: '{"url": "http://api.example.com/get"}' };
    viaGateway = true;
    metered = true;
    reported = 0;
  });
  const run = (objects: KubeObject[]) => {
    h.api.set(objects);
    return h.run('l12-egress-gateway', 'verify-egress');
  };

  it('passes on the solution: 200, a gateway access-log line read since the call, and the metric', async () => {
    const r = await run(solved);
    expectPassed(r);
    expect(r.assertions.find((a) => a.code === 'L12.GATEWAY_LOG')?.actual).toBe('1 access-log line(s) for api.example.com');
    // Only the last few seconds of the gateway log count, so an old line cannot pass the step.
    expect(since.at(-1)).toBeGreaterThan(0);
    expect(since.at(-1)).toBeLessThanOrEqual(10);
    expect(r.assertions.find((a) => a.code === 'L12.PROM_EGRESS')?.actual).toBe("0 before this check's requests, 1 after");
    expectOnlyReads(h);
  });

  it('fails on the lab\'s starting state: the call goes out directly, the gateway logs nothing', async () => {
    viaGateway = false;
    metered = false;
    const r = await run(l12Setup());
    expectFailed(r);
    expect(r.assertions.find((a) => a.code === 'L12.CALL_OK')?.status).toBe('pass');
    const f = failure(r, 'L12.GATEWAY_LOG');
    expect(f.actual).toBe('no line');
    expect(f.hint).toMatch(/did not pass the egress gateway.*lists `mesh` in gateways/);
    expect(failure(r, 'L12.PROM_EGRESS').hint).toMatch(/No request left through the egress gateway for this check's call/);
  });

  it('fails on requests counted in earlier attempts once the call bypasses the gateway (mesh dropped from the VS)', async () => {
    reported = 40;
    viaGateway = false;
    const r = await run([...l12Setup(), egressGatewayObject(), egressDr(), egressVs({ gateways: ['istio-egressgateway'] })]);
    failure(r, 'L12.GATEWAY_LOG');
    const f = failure(r, 'L12.PROM_EGRESS');
    expect(f.actual).toMatch(/^40 before this check's requests, still 40 after \d+ s$/);
    expect(f.hint).toMatch(/list `mesh` in gateways/);
  });

  it('fails with the mesh hint when the VirtualService lacks mesh (sidecars bypass the gateway)', async () => {
    viaGateway = false;
    metered = false;
    const r = await run([...l12Setup(), egressGatewayObject(), egressDr(), egressVs({ gateways: ['istio-egressgateway'] })]);
    expect(failure(r, 'L12.GATEWAY_LOG').hint).toMatch(/lists `mesh` in gateways/);
  });

  it('fails without waiting when no egress gateway pod runs, and explains the 503', async () => {
    answer = { status: 503, body: 'no healthy upstream' };
    viaGateway = false;
    metered = false;
    const reads = since.length;
    const r = await run(withoutEgressGateway(solved));
    expect(since.length).toBe(reads);
    const call = failure(r, 'L12.CALL_OK');
    expect(call.hint).toMatch(/no egress gateway pod is running/);
    expect(call.next).toBe('kubectl get pods -n istio-system -l istio=egressgateway');
    const log = failure(r, 'L12.GATEWAY_LOG');
    expect(log.actual).toBe('no egress gateway pod running');
    expect(log.hint).toMatch(/No egress gateway is running/);
  });

  it('fails with the IST0101 hint on 503 when the DR lacks the subset', async () => {
    answer = { status: 503, body: '' };
    viaGateway = false;
    metered = false;
    const r = await run([...l12Setup(), egressGatewayObject(), egressDr({ subsets: undefined }), egressVs()]);
    const f = failure(r, 'L12.CALL_OK');
    expect(f.hint).toMatch(/subset the egress DestinationRule does not define \(IST0101\)/);
    expect(f.next).toBe('istioctl analyze -n default');
  });

  it('fails with the gateway-binding hint on 404 when the VS names a Gateway of another namespace without prefix', async () => {
    // The gateway gets the request but has no route for the host: it logs a 404 (NR) line.
    answer = { status: 404, body: '' };
    metered = false;
    const r = await run([...l12Setup(), egressGatewayObject('istio-system'), egressDr(), egressVs()]);
    const f = failure(r, 'L12.CALL_OK');
    expect(f.hint).toMatch(/HTTP 404 from the egress gateway.*<namespace>\/istio-egressgateway/);
  });
});
